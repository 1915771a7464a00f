package dev.sluice.preprocessing;

import java.util.Objects;

/**
 * Token-bucket arithmetic as a pure function of the stored bucket, the limit and the time, so
 * that the rate-limit stage is deterministic under an injected clock and its state can live in a
 * changelogged store.
 *
 * <p>A new bucket starts full, at {@code burst} permits. Between requests it refills at
 * {@code permitsPerSecond}, never beyond {@code burst} (a bucket stored under a higher burst is
 * capped too). Each request costs one permit. When the clock reads earlier than the bucket's
 * last update (a clock stepping back, or records out of order), no time has passed: nothing is
 * refilled, and the bucket keeps its later timestamp so that the same interval is never counted
 * twice. An unlimited rate admits everything and leaves an infinitely full bucket.
 */
public final class TokenBucket {
  /** Slack for the floating-point sums, so that waiting retryAfterMillis always suffices. */
  private static final double EPSILON = 1e-9;

  private TokenBucket() {}

  /**
   * Tries to take one permit.
   *
   * @param previousOrNull the stored bucket, or null for a tenant not seen before
   * @param limit the tenant's rate limit
   * @param nowMillis the current time, in epoch milliseconds
   * @return whether the request passes, the bucket to store, and the wait when it does not
   */
  public static RateDecision tryAcquire(BucketState previousOrNull, RateLimit limit, long nowMillis) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isUnlimited()) {
      long at = previousOrNull == null ? nowMillis : Math.max(nowMillis, previousOrNull.updatedAtMillis());
      return new RateDecision(true, new BucketState(Double.POSITIVE_INFINITY, at), 0);
    }
    double tokens;
    long at;
    if (previousOrNull == null) {
      tokens = limit.burst();
      at = nowMillis;
    } else {
      long elapsed = Math.max(0, nowMillis - previousOrNull.updatedAtMillis());
      tokens = Math.min(limit.burst(), previousOrNull.tokens() + elapsed * limit.permitsPerSecond() / 1000.0);
      at = Math.max(nowMillis, previousOrNull.updatedAtMillis());
    }
    if (tokens + EPSILON >= 1) {
      return new RateDecision(true, new BucketState(Math.max(0, tokens - 1), at), 0);
    }
    double waitFromBucket = Math.ceil((1 - tokens) * 1000.0 / limit.permitsPerSecond());
    long retryAfter = Math.max(1, (long) waitFromBucket + Math.max(0, at - nowMillis));
    return new RateDecision(false, new BucketState(tokens, at), retryAfter);
  }
}
