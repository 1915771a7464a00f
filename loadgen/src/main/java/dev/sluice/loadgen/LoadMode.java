package dev.sluice.loadgen;

/** How the bench offers load. */
public sealed interface LoadMode {

  /**
   * Open loop: requests leave on a fixed schedule, one every {@code 1 / ratePerSecond}, whether or
   * not earlier ones were answered, and each one's latency counts from its scheduled time.
   */
  record OpenLoop(double ratePerSecond) implements LoadMode {
    public OpenLoop {
      if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
        throw new IllegalArgumentException("the rate must be a positive number of requests per second, got " + ratePerSecond);
      }
    }
  }

  /** Closed loop: at most {@code concurrency} requests outstanding; a new one leaves as soon as one is answered. */
  record ClosedLoop(int concurrency) implements LoadMode {
    public ClosedLoop {
      if (concurrency < 1) {
        throw new IllegalArgumentException("the concurrency must be >= 1, got " + concurrency);
      }
    }
  }
}
