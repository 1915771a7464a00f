package dev.sluice.worker.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LatencyTargetPlannerTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final long MS = 1_000_000L;

  private final MutableClock clock = new MutableClock(T0);
  private final FlushPolicy policy = new FlushPolicy(128, Duration.ofMillis(10), true, Optional.of(Duration.ofMillis(50)));
  private final FlushBuffer<Integer> waiting = new FlushBuffer<>(policy, clock);
  private final FlushPlanner planner = FlushPlanner.of(policy, clock);

  /** Flushes whose model time is 2 ms + 1 ms per request, committing in 4 ms: the target allows 21 per flush. */
  private void learn() {
    planner.answered(10, 12 * MS, 4 * MS);
    planner.answered(20, 22 * MS, 4 * MS);
    planner.answered(5, 7 * MS, 4 * MS);
  }

  private void wait(int count) {
    for (int i = 0; i < count; i++) {
      waiting.add(i);
    }
    planner.arrived(count);
  }

  @Test
  void withoutATargetThePlannerIsTheStaticOne() {
    FlushPolicy fixed = new FlushPolicy(4, Duration.ofMillis(10), true);
    FlushBuffer<Integer> buffer = new FlushBuffer<>(fixed, clock);
    FlushPlanner plain = FlushPlanner.of(fixed, clock);
    buffer.add(1);

    assertThat(plain).isInstanceOf(FlushPlanner.Static.class);
    assertThat(plain.untilDue(buffer)).contains(Duration.ofMillis(10));
    buffer.add(2);
    buffer.add(3);
    buffer.add(4);
    buffer.add(5);
    assertThat(plain.untilDue(buffer)).contains(Duration.ZERO);
    assertThat(plain.flushSize(buffer)).as("everything waiting").isEqualTo(5);
  }

  @Test
  void untilItHasSeenFlushesItWaitsAsTheStaticPlannerDoes() {
    wait(1);

    assertThat(planner.untilDue(waiting)).contains(Duration.ofMillis(10));
    assertThat(planner.flushSize(waiting)).isEqualTo(1);
    assertThat(planner.untilDue(new FlushBuffer<>(policy, clock))).isEmpty();
  }

  @Test
  void aLoneRequestGoesAtOnceWhenNoCompanyIsExpected() {
    learn();
    wait(1);

    assertThat(planner.untilDue(waiting)).contains(Duration.ZERO);
  }

  @Test
  void underSteadyArrivalsTheOldestWaitsForCompanyWithinTheMaxDelay() {
    learn();
    for (int i = 0; i < 1500; i++) {
      clock.advance(Duration.ofMillis(2));
      planner.arrived(1);
    }
    waiting.add(1);
    clock.advance(Duration.ofMillis(3));

    // ~500 requests/s expect 5 more within the 10 ms delay; the target leaves room for it: 7 ms left.
    assertThat(planner.untilDue(waiting)).hasValueSatisfying(left -> assertThat(left).isEqualTo(Duration.ofMillis(7)));
  }

  @Test
  void aFlushTakesNoMoreThanTheTargetAllows() {
    learn();
    wait(30);

    assertThat(((LatencyTargetPlanner) planner).sizeLimit()).isEqualTo(21);
    assertThat(planner.untilDue(waiting)).contains(Duration.ZERO);
    assertThat(planner.flushSize(waiting)).isEqualTo(21);
    assertThat(waiting.drainOldest(21)).startsWith(0, 1, 2).hasSize(21);
    assertThat(waiting.size()).isEqualTo(9);
  }

  @Test
  void whenArrivalsOutrunTheTargetItFlushesEverythingUntilTheBacklogClears() {
    learn();
    wait(30);

    assertThat(planner.flushSize(waiting)).isEqualTo(21);
    assertThat(planner.flushSize(waiting)).isEqualTo(21);
    assertThat(planner.flushSize(waiting)).as("third flush in a row with more waiting than allowed").isEqualTo(30);
    assertThat(planner.flushSize(waiting)).isEqualTo(30);
    waiting.drainAll();
    wait(12);
    assertThat(planner.flushSize(waiting)).as("the backlog cleared").isEqualTo(12);
    wait(18);
    assertThat(planner.flushSize(waiting)).isEqualTo(21);
  }

  @Test
  void aTargetTooTightForOneRequestStillFlushesOneAtATime() {
    FlushPolicy tight = new FlushPolicy(128, Duration.ofMillis(10), true, Optional.of(Duration.ofMillis(1)));
    LatencyTargetPlanner strict = (LatencyTargetPlanner) FlushPlanner.of(tight, clock);
    strict.answered(10, 12 * MS, 4 * MS);
    strict.answered(20, 22 * MS, 4 * MS);

    assertThat(strict.sizeLimit()).isEqualTo(1);
  }

  @Test
  void aTargetMustBePositive() {
    assertThatThrownBy(() -> new FlushPolicy(1, Duration.ZERO, true, Optional.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
