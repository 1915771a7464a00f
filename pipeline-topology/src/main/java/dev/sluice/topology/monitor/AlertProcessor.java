package dev.sluice.topology.monitor;

import dev.sluice.avro.Alert;
import dev.sluice.avro.AlertRule;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.Status;
import dev.sluice.schemas.topics.ModelKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges each final snapshot of the alert window against {@link AlertRules} and emits an
 * {@link Alert} per rule that fires, keyed {@code model/version}. Each version's trailing history
 * lives in the {@value MonitorTopology#ALERT_HISTORY_STORE} store; since the aggregation is
 * partitioned by model, every sibling version's history is in this task. A latency comparison is
 * made when the second of two siblings' snapshots of the same window arrives, in both directions,
 * so a pair raises at most one alert per window. Rejection-only snapshots (version
 * {@value MonitorKeys#ALL}) are not judged. The throughput baseline is of consecutive windows: a
 * window after one without traffic starts it again, so traffic that starts (or resumes) in the
 * middle of a window raises no drop.
 *
 * <p>Traffic that stops altogether produces no snapshot to judge, so a wall-clock punctuator,
 * once per alert window, raises THROUGHPUT_DROP (observed 0) for a version with a full baseline
 * whose last snapshot is two windows and the grace period old: once, in the tick that falls in
 * the window after that.
 */
final class AlertProcessor implements Processor<String, MetricsSnapshot, String, Alert> {
  private final AlertRules rules;
  private final Duration window;
  private final Duration grace;
  private final Clock clock;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, VersionHistory> histories;

  AlertProcessor(AlertRules rules, Duration window, Duration grace, Clock clock) {
    this.rules = rules;
    this.window = window;
    this.grace = grace;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.histories = context.getStateStore(MonitorTopology.ALERT_HISTORY_STORE);
    context.schedule(window, PunctuationType.WALL_CLOCK_TIME, this::silence);
  }

  /** THROUGHPUT_DROP to zero for versions that went quiet; see the class comment. */
  private void silence(long nowMs) {
    long windowMs = window.toMillis();
    try (KeyValueIterator<String, VersionHistory> all = histories.all()) {
      while (all.hasNext()) {
        KeyValue<String, VersionHistory> entry = all.next();
        VersionHistory history = entry.value;
        if (MonitorKeys.ALL.equals(MonitorKeys.version(entry.key)) || !history.baselineFull(rules.baselineWindows())
            || history.baselineRequests() < rules.minRequests()) {
          continue;
        }
        long quietSince = history.lastWindowStart() + windowMs;
        long due = quietSince + 2 * windowMs + grace.toMillis();
        if (nowMs >= due && nowMs < due + windowMs) {
          String model = MonitorKeys.model(entry.key);
          String version = MonitorKeys.version(entry.key);
          double baseline = history.baselineThroughput();
          Alert alert = Alert.newBuilder().setModel(model).setModelVersion(version).setRule(AlertRule.THROUGHPUT_DROP)
              .setWindowStart(Instant.ofEpochMilli(quietSince)).setWindowEnd(Instant.ofEpochMilli(nowMs))
              .setObserved(0.0).setExpected(baseline).setSiblingVersion(null)
              .setDetail(String.format(Locale.ROOT, "%s/%s: no traffic since %s against the trailing baseline %.3f/s", model, version,
                  Instant.ofEpochMilli(quietSince), baseline))
              .setRaisedAt(clock.instant()).build();
          context.forward(new Record<>(entry.key, alert, nowMs));
        }
      }
    }
  }

  @Override
  public void process(Record<String, MetricsSnapshot> record) {
    MetricsSnapshot snapshot = record.value();
    if (snapshot == null || MonitorKeys.ALL.equals(snapshot.getModelVersion())) {
      return;
    }
    String key = record.key();
    long windowStart = snapshot.getWindowStart().toEpochMilli();
    VersionHistory history = histories.get(key);
    // Windows without traffic leave no snapshot: after one, the trailing baseline is of traffic
    // that stopped (its drop was the silence alert's to raise), and the window the traffic resumes
    // in starts a new one instead of reading as a drop.
    history = history == null || history.lastWindowStart() < windowStart - window.toMillis() ? VersionHistory.empty() : history;
    throughputRules(snapshot, history);
    errorRate(snapshot);
    double p99 = snapshot.getLatency() == null ? Double.NaN : snapshot.getLatency().getP99Ms();
    long latencyCount = snapshot.getRequestCount() - snapshot.getCacheHits();
    latencyAgainstSiblings(snapshot, windowStart, p99, latencyCount);
    histories.put(key, history.next(rules.baselineWindows(), snapshot.getThroughputPerS(), snapshot.getRequestCount(),
        windowStart, p99, latencyCount));
  }

  private void throughputRules(MetricsSnapshot snapshot, VersionHistory history) {
    if (!history.baselineFull(rules.baselineWindows())) {
      return;
    }
    double baseline = history.baselineThroughput();
    double observed = snapshot.getThroughputPerS();
    if (snapshot.getRequestCount() >= rules.minRequests() && observed > rules.spikeFactor() * baseline) {
      emit(snapshot, snapshot.getModelVersion(), AlertRule.THROUGHPUT_SPIKE, observed, baseline, null,
          String.format(Locale.ROOT, "throughput %.3f/s is over %.1f x the trailing baseline %.3f/s", observed,
              rules.spikeFactor(), baseline));
    } else if (history.baselineRequests() >= rules.minRequests() && observed < baseline / rules.dropFactor()) {
      emit(snapshot, snapshot.getModelVersion(), AlertRule.THROUGHPUT_DROP, observed, baseline, null,
          String.format(Locale.ROOT, "throughput %.3f/s is under the trailing baseline %.3f/s / %.1f", observed, baseline,
              rules.dropFactor()));
    }
  }

  private void errorRate(MetricsSnapshot snapshot) {
    long count = snapshot.getRequestCount();
    if (count < rules.minRequests()) {
      return;
    }
    long failed = count - snapshot.getStatusCounts().getOrDefault(Status.OK.name(), 0L);
    double rate = (double) failed / count;
    if (rate > rules.errorRateThreshold()) {
      emit(snapshot, snapshot.getModelVersion(), AlertRule.ERROR_RATE, rate, rules.errorRateThreshold(), null,
          String.format(Locale.ROOT, "%d of %d results failed (ERROR or EXPIRED): %.4f over the threshold %.4f", failed, count,
              rate, rules.errorRateThreshold()));
    }
  }

  private void latencyAgainstSiblings(MetricsSnapshot snapshot, long windowStart, double p99, long count) {
    if (Double.isNaN(p99) || count < rules.minRequests()) {
      return;
    }
    String model = snapshot.getModel();
    String version = snapshot.getModelVersion();
    try (KeyValueIterator<String, VersionHistory> siblings = histories.prefixScan(ModelKey.prefixOf(model),
        new StringSerializer())) {
      while (siblings.hasNext()) {
        KeyValue<String, VersionHistory> entry = siblings.next();
        String sibling = MonitorKeys.version(entry.key);
        VersionHistory other = entry.value;
        if (sibling.equals(version) || MonitorKeys.ALL.equals(sibling) || other.lastWindowStart() != windowStart
            || Double.isNaN(other.lastP99()) || other.lastCount() < rules.minRequests()) {
          continue;
        }
        if (p99 > rules.latencyRegressionFactor() * other.lastP99()) {
          emitRegression(snapshot, version, p99, sibling, other.lastP99());
        } else if (other.lastP99() > rules.latencyRegressionFactor() * p99) {
          emitRegression(snapshot, sibling, other.lastP99(), version, p99);
        }
      }
    }
  }

  private void emitRegression(MetricsSnapshot snapshot, String slow, double slowP99, String fast, double fastP99) {
    emit(snapshot, slow, AlertRule.LATENCY_REGRESSION, slowP99, fastP99, fast,
        String.format(Locale.ROOT, "p99 %.2f ms of version %s is over %.2f x the p99 %.2f ms of sibling version %s", slowP99, slow,
            rules.latencyRegressionFactor(), fastP99, fast));
  }

  private void emit(MetricsSnapshot snapshot, String version, AlertRule rule, double observed, double expected, String sibling,
      String detail) {
    Alert alert = Alert.newBuilder()
        .setModel(snapshot.getModel()).setModelVersion(version).setRule(rule)
        .setWindowStart(snapshot.getWindowStart()).setWindowEnd(snapshot.getWindowEnd())
        .setObserved(observed).setExpected(expected).setSiblingVersion(sibling)
        .setDetail(snapshot.getModel() + "/" + version + ": " + detail)
        .setRaisedAt(clock.instant())
        .build();
    context.forward(new Record<>(MonitorKeys.of(snapshot.getModel(), version), alert, snapshot.getWindowEnd().toEpochMilli()));
  }
}
