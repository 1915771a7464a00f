package dev.sluice.loadgen;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Sends a run's requests: open loop on an {@link OpenLoopSchedule}, or closed loop with a fixed
 * number of outstanding requests. Warmup requests come first. Every request is booked in the
 * {@link Ledger} before it is sent, so its outcome can never arrive unexpected.
 */
public final class LoadGenerator {
  private final BenchSettings settings;
  private final BenchClock clock;
  private final RequestFactory factory;
  private final RequestSender sender;
  private final Ledger ledger;
  private volatile boolean stopRequested;
  private String stopReason;
  private long sent;

  /** A generator for one run. */
  public LoadGenerator(BenchSettings settings, BenchClock clock, RequestFactory factory, RequestSender sender, Ledger ledger) {
    this.settings = settings;
    this.clock = clock;
    this.factory = factory;
    this.sender = sender;
    this.ledger = ledger;
  }

  /** Asks a running generator to stop after its current request. */
  public void stop() {
    stopRequested = true;
  }

  /** Sends everything the settings ask for; returns when done, stopped, stalled or failed. */
  public GeneratorResult run() throws InterruptedException {
    return settings.mode() instanceof LoadMode.OpenLoop open ? openLoop(open.ratePerSecond()) : closedLoop(((LoadMode.ClosedLoop) settings.mode()).concurrency());
  }

  private GeneratorResult openLoop(double rate) throws InterruptedException {
    long start = clock.nanoTime();
    OpenLoopSchedule schedule = new OpenLoopSchedule(start, rate);
    long warmCount = settings.warmup() instanceof Span.Requests r ? r.count()
        : schedule.countDueBefore(start + ((Span.Time) settings.warmup()).duration().toNanos());
    long measuredStart = schedule.dueNanos(warmCount);
    long end = settings.length() instanceof Span.Requests r ? warmCount + r.count()
        : schedule.countDueBefore(measuredStart + ((Span.Time) settings.length()).duration().toNanos());
    ledger.measuredFrom(warmCount);
    Histogram lagMicros = new Histogram(3);
    lagMicros.setAutoResize(true);
    for (long i = 0; i < end && !stopped(); i++) {
      long due = schedule.dueNanos(i);
      clock.parkUntil(due);
      long now = clock.nanoTime();
      if (i >= warmCount) {
        lagMicros.recordValue(Math.max(0, (now - due) / 1000));
      }
      if (!send(i, due, now)) {
        break;
      }
    }
    return new GeneratorResult(sent, start, measuredStart, clock.nanoTime(), LatencyFigures.of(lagMicros), stopReason);
  }

  private GeneratorResult closedLoop(int concurrency) throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    ledger.onSettled(slots::release);
    long start = clock.nanoTime();
    long timeout = settings.timeout().toNanos();
    long measuredFrom = -1;
    long measuredStart = start;
    long measuredEnd = Long.MAX_VALUE;
    for (long i = 0; !stopped(); i++) {
      long wait = measuredFrom < 0 ? timeout : Math.min(timeout, Math.max(0, measuredEnd - clock.nanoTime()));
      if (!slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
        if (clock.nanoTime() < measuredEnd) {
          stopReason = "stalled: no request of the last " + concurrency + " was answered within " + settings.timeout().toSeconds() + "s";
        }
        break;
      }
      long now = clock.nanoTime();
      if (measuredFrom < 0 && warmupOver(i, now - start)) {
        measuredFrom = i;
        measuredStart = now;
        measuredEnd = settings.length() instanceof Span.Time t ? now + t.duration().toNanos() : Long.MAX_VALUE;
        ledger.measuredFrom(i);
      }
      boolean done = measuredFrom >= 0 && (settings.length() instanceof Span.Requests r ? i - measuredFrom >= r.count() : now >= measuredEnd);
      if (done) {
        slots.release();
        break;
      }
      if (!send(i, now, now)) {
        break;
      }
    }
    return new GeneratorResult(sent, start, measuredStart, clock.nanoTime(), null, stopReason);
  }

  private boolean warmupOver(long index, long elapsedNanos) {
    return settings.warmup() instanceof Span.Requests r ? index >= r.count() : elapsedNanos >= ((Span.Time) settings.warmup()).duration().toNanos();
  }

  private boolean stopped() {
    if (stopRequested && stopReason == null) {
      stopReason = "stopped before the end";
    }
    return stopRequested || Thread.currentThread().isInterrupted();
  }

  private boolean send(long index, long createdNanos, long nowNanos) {
    var request = factory.create(index, createdNanos);
    ledger.sent(index, createdNanos, nowNanos);
    sent++;
    try {
      sender.send(request, error -> ledger.sendFailed(index, error));
      return true;
    } catch (RuntimeException e) {
      ledger.sendFailed(index, e);
      stopReason = "sending failed: " + e.getMessage();
      return false;
    }
  }
}
