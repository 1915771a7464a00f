package dev.sluice.topology.ingress;

import java.time.Duration;
import java.util.Objects;

/**
 * How many stream threads may be replaced after transient failures within a sliding window before
 * the client gives up and shuts down: bounded retries, then fail loudly.
 *
 * @param max replacements allowed within the window (0: the first transient failure is fatal)
 * @param window the sliding window
 */
public record ReplacementBudget(int max, Duration window) {
  /** Checks the bounds. */
  public ReplacementBudget {
    Objects.requireNonNull(window, "window");
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, was " + max);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
  }
}
