package dev.sluice.worker.flush;

import java.time.Duration;
import java.util.Objects;

/**
 * When the waiting requests are flushed, and how a flush is cut into batches.
 *
 * @param maxRecords requests waiting that make a flush due at once; also the most requests in one
 *     batch a model version is handed ({@code worker.flush.max.records})
 * @param maxDelay longest the oldest waiting request waits for company before a flush
 * @param bucketing sort each version's requests by input length before cutting them into
 *     batches, so short inputs are not padded to the longest
 */
public record FlushPolicy(int maxRecords, Duration maxDelay, boolean bucketing) {
  public FlushPolicy {
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, was " + maxRecords);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
    }
  }
}
