package dev.sluice.preprocessing;

/**
 * A token-bucket rate: requests refill at {@code permitsPerSecond} up to {@code burst} stored
 * permits, and each request takes one.
 *
 * @param permitsPerSecond sustained rate; 0 or less means unlimited
 * @param burst most permits a bucket holds, i.e. the largest burst admitted at once; at least 1
 *     when the rate is limited, ignored when unlimited
 */
public record RateLimit(double permitsPerSecond, double burst) {
  /**
   * Checks the rate and burst.
   *
   * @throws IllegalArgumentException for a NaN or infinite rate, or a limited rate whose burst is
   *     not a finite number of at least 1
   */
  public RateLimit {
    if (!Double.isFinite(permitsPerSecond)) {
      throw new IllegalArgumentException("Invalid value " + permitsPerSecond
          + " for rate limit permits per second: must be a finite number (<= 0 for unlimited)");
    }
    if (permitsPerSecond > 0 && !(Double.isFinite(burst) && burst >= 1)) {
      throw new IllegalArgumentException("Invalid value " + burst
          + " for rate limit burst: must be >= 1 when permits per second is " + permitsPerSecond);
    }
  }

  /**
   * No limit at all.
   *
   * @return a rate of 0 permits per second, which means unlimited
   */
  public static RateLimit unlimited() {
    return new RateLimit(0, 0);
  }

  /**
   * Whether this limit admits everything.
   *
   * @return true when the rate is 0 or less
   */
  public boolean isUnlimited() {
    return permitsPerSecond <= 0;
  }
}
