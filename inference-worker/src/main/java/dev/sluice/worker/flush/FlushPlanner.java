package dev.sluice.worker.flush;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides when the waiting requests are flushed and how many of them go, from the worker loop's
 * thread only. The static planner does what {@link FlushPolicy} says: a flush is due once {@link
 * FlushPolicy#maxRecords()} wait or the oldest has waited {@link FlushPolicy#maxDelay()}, and it
 * takes everything waiting. With a {@link FlushPolicy#latencyTarget()} the {@link
 * LatencyTargetPlanner} chooses both online.
 */
public interface FlushPlanner {
  /** The planner the policy asks for. */
  static FlushPlanner of(FlushPolicy policy, Clock clock) {
    return policy.latencyTarget().<FlushPlanner>map(target -> new LatencyTargetPlanner(policy, target, clock))
        .orElseGet(() -> new Static());
  }

  /** How long until a flush is due: zero when due now, empty when nothing waits. */
  Optional<Duration> untilDue(FlushBuffer<?> waiting);

  /** How many of the waiting requests, oldest first, the flush due now takes. */
  int flushSize(FlushBuffer<?> waiting);

  /** {@code count} requests were consumed just now. */
  default void arrived(int count) {}

  /** A flush of {@code requests} spent {@code modelNanos} in the model and committed in {@code commitNanos}. */
  default void answered(int requests, long modelNanos, long commitNanos) {}

  /** The static planner: {@link FlushBuffer}'s own rule, everything waiting per flush. */
  final class Static implements FlushPlanner {
    @Override
    public Optional<Duration> untilDue(FlushBuffer<?> waiting) {
      return waiting.untilReady();
    }

    @Override
    public int flushSize(FlushBuffer<?> waiting) {
      return waiting.size();
    }
  }
}
