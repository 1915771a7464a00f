package dev.sluice.loadgen;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The bench's time: a monotonic nanosecond clock for scheduling and latency, anchored to the wall
 * clock once so that a scheduled time can be written as a request's {@code created_at}.
 */
public interface BenchClock {
  /** Monotonic nanoseconds. */
  long nanoTime();

  /** The wall-clock instant of a {@link #nanoTime()} value. */
  Instant instantAt(long nanos);

  /** Waits until {@link #nanoTime()} reaches {@code nanos} (at once when it already has). */
  void parkUntil(long nanos) throws InterruptedException;

  /** The system clock. */
  static BenchClock system() {
    long anchorNanos = System.nanoTime();
    Instant anchor = Instant.now();
    return new BenchClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Instant instantAt(long nanos) {
        return anchor.plusNanos(nanos - anchorNanos);
      }

      @Override
      public void parkUntil(long nanos) throws InterruptedException {
        for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
      }
    };
  }
}
