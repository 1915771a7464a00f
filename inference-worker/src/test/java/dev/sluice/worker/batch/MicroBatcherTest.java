package dev.sluice.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private record Item(String group, String text) {}

  private static MicroBatcher<Item> batcher(Clock clock, int maxSize, boolean bucketing) {
    return new MicroBatcher<>(new BatchingPolicy(maxSize, Duration.ofMillis(10), bucketing), clock, item -> item.text().length(), Item::group);
  }

  @Test
  void isReadyOnceTheMaximumSizeWaits() {
    MicroBatcher<Item> batcher = batcher(Clock.fixed(T0, ZoneOffset.UTC), 2, true);
    batcher.add(new Item("v1", "a"));
    assertThat(batcher.isReady()).isFalse();
    batcher.add(new Item("v1", "b"));
    assertThat(batcher.isReady()).isTrue();
    assertThat(batcher.untilReady()).contains(Duration.ZERO);
  }

  @Test
  void isReadyWhenTheOldestHasWaitedTheMaximumDelay() {
    MutableClock clock = new MutableClock(T0);
    MicroBatcher<Item> batcher = batcher(clock, 8, true);
    assertThat(batcher.untilReady()).isEqualTo(Optional.empty());
    batcher.add(new Item("v1", "a"));
    clock.advance(Duration.ofMillis(4));
    batcher.add(new Item("v1", "b"));
    assertThat(batcher.untilReady()).contains(Duration.ofMillis(6));
    clock.advance(Duration.ofMillis(6));
    assertThat(batcher.isReady()).isTrue();
  }

  @Test
  void cutsEachGroupSortedByLengthIntoNearEqualBatches() {
    MicroBatcher<Item> batcher = batcher(Clock.systemUTC(), 4, true);
    List<Item> items = List.of(new Item("v1", "xxxxx"), new Item("v2", "long text"), new Item("v1", "x"), new Item("v1", "xxx"),
        new Item("v1", "xx"), new Item("v1", "xxxx"), new Item("v2", "s"));

    List<List<Item>> batches = batcher.cut(items);

    assertThat(batches).extracting(batch -> batch.stream().map(Item::text).toList()).containsExactly(
        List.of("x", "xx", "xxx"), List.of("xxxx", "xxxxx"), List.of("s", "long text"));
  }

  @Test
  void cutsInArrivalOrderWithoutBucketing() {
    MicroBatcher<Item> batcher = batcher(Clock.systemUTC(), 2, false);
    List<Item> items = List.of(new Item("v1", "xxx"), new Item("v1", "x"), new Item("v1", "xx"));

    assertThat(batcher.cut(items)).extracting(batch -> batch.stream().map(Item::text).toList())
        .containsExactly(List.of("xxx", "x"), List.of("xx"));
  }

  @Test
  void drainsEverythingAndRemovesWhatMatches() {
    MicroBatcher<Item> batcher = batcher(Clock.systemUTC(), 8, true);
    batcher.add(new Item("v1", "a"));
    batcher.add(new Item("v2", "b"));
    batcher.add(new Item("v1", "c"));

    assertThat(batcher.removeIf(item -> item.group().equals("v2"))).isEqualTo(1);
    assertThat(batcher.size()).isEqualTo(2);
    assertThat(batcher.drainAll()).extracting(Item::text).containsExactly("a", "c");
    assertThat(batcher.isEmpty()).isTrue();
    assertThat(batcher.size()).isZero();
  }
}
