package dev.sluice.preprocessing;

import java.util.Objects;

/**
 * The verdict on one request against its tenant's bucket.
 *
 * @param allowed whether the request may pass
 * @param next the bucket to store, whether or not the request passed
 * @param retryAfterMillis for a refused request, how long until a permit is available; 0 when
 *     allowed
 */
public record RateDecision(boolean allowed, BucketState next, long retryAfterMillis) {
  /** Checks the next state is present and the wait is not negative. */
  public RateDecision {
    Objects.requireNonNull(next, "next");
    if (retryAfterMillis < 0) {
      throw new IllegalArgumentException("retryAfterMillis is " + retryAfterMillis + ", must be >= 0");
    }
  }
}
