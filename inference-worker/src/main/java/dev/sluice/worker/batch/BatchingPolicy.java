package dev.sluice.worker.batch;

import java.time.Duration;
import java.util.Objects;

/**
 * How requests are grouped into micro-batches.
 *
 * @param maxSize most requests in one model call; reaching it flushes at once
 * @param maxDelay longest the oldest waiting request waits for company before a flush
 * @param bucketing sort each version's requests by input length before cutting them into
 *     batches, so short inputs are not padded to the longest
 */
public record BatchingPolicy(int maxSize, Duration maxDelay, boolean bucketing) {
  public BatchingPolicy {
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
    }
  }
}
