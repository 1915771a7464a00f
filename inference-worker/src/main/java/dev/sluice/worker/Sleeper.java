package dev.sluice.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits out a retry backoff; tests pass one that only records the waits. */
@FunctionalInterface
public interface Sleeper {

  /** Waits for the duration. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real wait, on the calling thread. */
  static Sleeper system() {
    return duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());
  }
}
