package dev.sluice.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounded retries of transient infrastructure failures: the first retry waits {@code backoff},
 * each further one twice as long, never more than {@code maxBackoff}; after {@code maxAttempts}
 * failed attempts the worker gives up and stops loudly.
 *
 * @param backoff wait before the first retry
 * @param maxBackoff longest wait
 * @param maxAttempts attempts in all, the first one included
 */
public record RetryPolicy(Duration backoff, Duration maxBackoff, int maxAttempts) {
  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException("need 0 <= backoff <= maxBackoff, was " + backoff + " and " + maxBackoff);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
  }

  /** The wait after the given failed attempt (1 for the first failure). */
  public Duration delayAfter(int failedAttempt) {
    Duration delay = backoff;
    for (int i = 1; i < failedAttempt && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }

  /** Whether another attempt is allowed after this many failed ones. */
  public boolean allowsAnother(int failedAttempts) {
    return failedAttempts < maxAttempts;
  }
}
