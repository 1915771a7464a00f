package dev.sluice.worker.flush;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When the waiting requests are flushed, and how a flush is cut into batches.
 *
 * @param maxRecords requests waiting that make a flush due at once; also the most requests in one
 *     batch a model version is handed ({@code worker.flush.max.records})
 * @param maxDelay longest the oldest waiting request waits for company before a flush
 * @param bucketing sort each version's requests by input length before cutting them into
 *     batches, so short inputs are not padded to the longest
 * @param latencyTarget when present, the time a request may spend in the worker (from being
 *     consumed to its result being committed) that a {@link LatencyTargetPlanner} holds by
 *     choosing each flush's delay and size online; empty for the static behaviour
 *     ({@link FlushPlanner#of})
 */
public record FlushPolicy(int maxRecords, Duration maxDelay, boolean bucketing, Optional<Duration> latencyTarget) {
  /** A static policy: no latency target. */
  public FlushPolicy(int maxRecords, Duration maxDelay, boolean bucketing) {
    this(maxRecords, maxDelay, bucketing, Optional.empty());
  }

  public FlushPolicy {
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(latencyTarget, "latencyTarget");
    if (latencyTarget.isPresent() && (latencyTarget.get().isNegative() || latencyTarget.get().isZero())) {
      throw new IllegalArgumentException("the latency target must be positive, was " + latencyTarget.get());
    }
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, was " + maxRecords);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
    }
  }
}
