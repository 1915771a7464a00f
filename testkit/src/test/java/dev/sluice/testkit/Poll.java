package dev.sluice.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/** Polls a condition until it holds or a deadline passes. */
final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private Poll() {}

  static void until(String condition, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionFailedError("Not true within " + timeout + ": " + condition);
      }
      TimeUnit.NANOSECONDS.sleep(INTERVAL.toNanos());
    }
  }

  /** A condition whose evaluation may fail; a failure fails the test. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }
}
