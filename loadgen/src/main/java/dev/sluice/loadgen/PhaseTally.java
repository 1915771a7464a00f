package dev.sluice.loadgen;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The running counts of one phase; not thread-safe ({@link Ledger} guards it). */
final class PhaseTally {
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Histogram latencyMicros = new Histogram(SIGNIFICANT_DIGITS);
  private final Map<Status, Long> statuses = new EnumMap<>(Status.class);
  private final Map<ReasonCode, Long> rejected = new EnumMap<>(ReasonCode.class);
  private long sent;
  private long cached;
  private long duplicates;
  private long outcomes;
  private long firstSendNanos;
  private long lastSendNanos;
  private long lastOutcomeNanos;

  PhaseTally() {
    latencyMicros.setAutoResize(true);
  }

  void sent(long nanos) {
    if (sent == 0) {
      firstSendNanos = nanos;
    }
    sent++;
    lastSendNanos = Math.max(lastSendNanos, nanos);
  }

  void result(Status status, boolean fromCache, long latencyNanos, long seenNanos) {
    statuses.merge(status, 1L, Long::sum);
    if (status == Status.OK) {
      latencyMicros.recordValue(Math.max(0, latencyNanos / 1000));
      if (fromCache) {
        cached++;
      }
    }
    outcome(seenNanos);
  }

  void rejection(ReasonCode reason, long seenNanos) {
    rejected.merge(reason, 1L, Long::sum);
    outcome(seenNanos);
  }

  void duplicate() {
    duplicates++;
  }

  long sent() {
    return sent;
  }

  long outcomes() {
    return outcomes;
  }

  /** The p99 latency so far in milliseconds, NaN before the first OK result. */
  double p99Ms() {
    return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99) / 1000.0;
  }

  PhaseFigures figures(long sendFailures, long missing) {
    Map<String, Long> reasons = new TreeMap<>();
    rejected.forEach((reason, n) -> reasons.put(reason.name(), n));
    double sendSeconds = (lastSendNanos - firstSendNanos) / 1e9;
    double sendRate = sent > 1 && sendSeconds > 0 ? (sent - 1) / sendSeconds : 0;
    double outcomeSeconds = (lastOutcomeNanos - firstSendNanos) / 1e9;
    double throughput = outcomes > 0 && outcomeSeconds > 0 ? outcomes / outcomeSeconds : 0;
    return new PhaseFigures(sent, sendFailures, count(Status.OK), count(Status.ERROR), count(Status.EXPIRED), cached, reasons,
        missing, duplicates, LatencyFigures.of(latencyMicros), sendRate, throughput);
  }

  private long count(Status status) {
    return statuses.getOrDefault(status, 0L);
  }

  private void outcome(long seenNanos) {
    outcomes++;
    lastOutcomeNanos = Math.max(lastOutcomeNanos, seenNanos);
  }
}
