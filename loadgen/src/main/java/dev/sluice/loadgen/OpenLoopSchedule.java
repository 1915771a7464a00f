package dev.sluice.loadgen;

/**
 * The open-loop timetable: request {@code i} is due at {@code start + i / rate}, computed from the
 * start every time (never from the previous send), so a late send never shifts later ones: a
 * generator that fell behind sends the overdue requests at once, and each keeps its due time as
 * its creation time. Latency measured from the due time therefore includes any wait the system
 * imposed on the generator, which avoids coordinated omission.
 *
 * @param startNanos when request 0 is due
 * @param ratePerSecond requests per second
 */
public record OpenLoopSchedule(long startNanos, double ratePerSecond) {
  public OpenLoopSchedule {
    new LoadMode.OpenLoop(ratePerSecond); // validates the rate
  }

  /** When request {@code index} is due, in {@link BenchClock#nanoTime()} terms. */
  public long dueNanos(long index) {
    return startNanos + Math.round(index * (1e9 / ratePerSecond));
  }

  /** How many requests are due strictly before {@code nanos}. */
  public long countDueBefore(long nanos) {
    if (nanos <= startNanos) {
      return 0;
    }
    long n = (long) Math.ceil((nanos - startNanos) * ratePerSecond / 1e9);
    while (n > 0 && dueNanos(n - 1) >= nanos) {
      n--;
    }
    while (dueNanos(n) < nanos) {
      n++;
    }
    return n;
  }
}
