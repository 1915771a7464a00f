package dev.sluice.preprocessing;

/**
 * What a tenant's token bucket holds, as the rate-limit stage stores it between requests.
 *
 * @param tokens permits available at {@code updatedAtMillis}; positive infinity for a bucket
 *     under an unlimited rate (capped to the burst should a limit be set later)
 * @param updatedAtMillis the time the tokens were counted, in epoch milliseconds
 */
public record BucketState(double tokens, long updatedAtMillis) {
  /** Checks the token count is a number of at least 0. */
  public BucketState {
    if (Double.isNaN(tokens) || tokens < 0) {
      throw new IllegalArgumentException("bucket tokens is " + tokens + ", must be >= 0");
    }
  }
}
