package dev.sluice.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LruCacheTest {

  @Test
  void evictsLeastRecentlyUsedEntryBeyondCapacity() {
    LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a");
    cache.put("c", 3);

    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("c")).isEqualTo(3);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void computeIfAbsentLoadsOnceAndRemoveIfDropsMatches() {
    LruCache<String, Integer> cache = new LruCache<>(4);
    int[] loads = {0};
    cache.computeIfAbsent("a", k -> ++loads[0]);
    cache.computeIfAbsent("a", k -> ++loads[0]);
    cache.put("b", 7);
    cache.removeIf((k, v) -> v == 7);

    assertThat(loads[0]).isEqualTo(1);
    assertThat(cache.get("b")).isNull();
  }

  @Test
  void refusesCapacityBelowOne() {
    assertThatThrownBy(() -> new LruCache<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
