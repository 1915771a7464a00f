package dev.sluice.loadgen;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress of a run: on a terminal one line redrawn in place every second; otherwise a plain
 * line every few seconds (so logs of CI jobs stay readable).
 */
public final class ProgressLine implements AutoCloseable {
  private final PrintWriter out;
  private final boolean terminal;
  private final Duration interval;
  private ScheduledExecutorService timer;
  private long lastSent;
  private long lastNanos;
  private int lastWidth;

  private ProgressLine(PrintWriter out, boolean terminal, Duration interval) {
    this.out = out;
    this.terminal = terminal;
    this.interval = interval;
  }

  /** Redrawn every second with {@code \r} on a terminal, else a new line every five seconds. */
  public static ProgressLine to(PrintWriter out, boolean terminal) {
    return new ProgressLine(out, terminal, Duration.ofSeconds(terminal ? 1 : 5));
  }

  /** Shows nothing. */
  public static ProgressLine none() {
    return new ProgressLine(null, false, Duration.ZERO);
  }

  /** Starts showing the ledger's progress, timed from {@code startNanos}. */
  public synchronized void start(Ledger ledger, BenchClock clock, long startNanos) {
    if (out == null || timer != null) {
      return;
    }
    lastNanos = startNanos;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-bench-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> show(ledger.progress(), clock.nanoTime(), startNanos), interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private synchronized void show(Ledger.Progress progress, long now, long startNanos) {
    double seconds = (now - lastNanos) / 1e9;
    double rate = seconds > 0 ? (progress.sent() - lastSent) / seconds : 0;
    lastSent = progress.sent();
    lastNanos = now;
    String line = render(Duration.ofNanos(now - startNanos), progress, rate);
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** One progress line: elapsed time, sent, answered, current send rate, p99 so far. */
  public static String render(Duration elapsed, Ledger.Progress progress, double ratePerSecond) {
    String p99 = Double.isNaN(progress.p99Ms()) ? "-" : String.format(Locale.ROOT, "%.1f ms", progress.p99Ms());
    return String.format(Locale.ROOT, "%s %6.1fs  sent %,d  answered %,d  %,.0f req/s  p99 %s",
        progress.warmingUp() ? "warmup" : "bench ", elapsed.toMillis() / 1000.0, progress.sent(), progress.answered(), ratePerSecond, p99);
  }

  /** Stops updating; on a terminal, ends the line. */
  @Override
  public synchronized void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    timer = null;
    if (terminal && lastWidth > 0) {
      out.println();
      out.flush();
    }
  }
}
