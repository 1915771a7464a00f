package dev.sluice.worker.flush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlushBufferTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private record Item(String group, String text) {}

  private static FlushBuffer<Item> buffer(Clock clock, int maxRecords) {
    return new FlushBuffer<>(new FlushPolicy(maxRecords, Duration.ofMillis(10), true), clock);
  }

  @Test
  void isReadyOnceTheMaximumCountWaits() {
    FlushBuffer<Item> buffer = buffer(Clock.fixed(T0, ZoneOffset.UTC), 2);
    buffer.add(new Item("v1", "a"));
    assertThat(buffer.isReady()).isFalse();
    buffer.add(new Item("v1", "b"));
    assertThat(buffer.isReady()).isTrue();
    assertThat(buffer.untilReady()).contains(Duration.ZERO);
  }

  @Test
  void isReadyWhenTheOldestHasWaitedTheMaximumDelay() {
    MutableClock clock = new MutableClock(T0);
    FlushBuffer<Item> buffer = buffer(clock, 8);
    assertThat(buffer.untilReady()).isEqualTo(Optional.empty());
    buffer.add(new Item("v1", "a"));
    clock.advance(Duration.ofMillis(4));
    buffer.add(new Item("v1", "b"));
    assertThat(buffer.untilReady()).contains(Duration.ofMillis(6));
    clock.advance(Duration.ofMillis(6));
    assertThat(buffer.isReady()).isTrue();
  }

  @Test
  void drainsEverythingAndRemovesWhatMatches() {
    FlushBuffer<Item> buffer = buffer(Clock.systemUTC(), 8);
    buffer.add(new Item("v1", "a"));
    buffer.add(new Item("v2", "b"));
    buffer.add(new Item("v1", "c"));

    assertThat(buffer.removeIf(item -> item.group().equals("v2"))).isEqualTo(1);
    assertThat(buffer.size()).isEqualTo(2);
    assertThat(buffer.drainAll()).extracting(Item::text).containsExactly("a", "c");
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(buffer.size()).isZero();
  }
}
