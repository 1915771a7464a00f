package dev.sluice.topology.monitor;

import dev.sluice.avro.AlertRule;
import dev.sluice.avro.MetricsSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The monitoring application's own meters, beside Kafka Streams' ones:
 *
 * <ul>
 *   <li>{@value #SNAPSHOTS} (tags {@code window}, e.g. {@code 60000ms}, and {@code kind}: {@code
 *       final} when a window closed, {@code early} for an update of an open one): snapshots written
 *       to {@code <prefix>.metrics};
 *   <li>{@value #ALERTS} (tag {@code rule}): alerts raised;
 *   <li>{@value #LATENESS} (seconds, with a histogram): how far each contribution's event time
 *       (its record's timestamp) lies behind the wall clock when the monitor reads it: its lag
 *       behind the pipeline, and what the windows' grace must cover;
 *   <li>the figures of each version's last final snapshot as gauges ({@link WindowGauges}: model
 *       quality, throughput, error ratio, latency percentiles).
 * </ul>
 *
 * <p>Thread-safe: one instance serves every stream thread.
 */
final class MonitorMetrics {
  /** Snapshots written. */
  static final String SNAPSHOTS = "sluice.monitor.snapshots";
  /** Alerts raised. */
  static final String ALERTS = "sluice.monitor.alerts";
  /** Event time behind the wall clock at reading. */
  static final String LATENESS = "sluice.monitor.event.lateness";

  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final DistributionSummary lateness;
  private final WindowGauges windows;

  MonitorMetrics(MeterRegistry meters, Clock clock, Duration grace) {
    this.meters = meters;
    this.lateness = DistributionSummary.builder(LATENESS).baseUnit("seconds")
        .description("How far a contribution's event time lies behind the wall clock when the monitor reads it")
        .publishPercentileHistogram().register(meters);
    this.windows = new WindowGauges(meters, clock, grace);
    // Every rule's counter exists from the start at 0, so the first alert of a rule is an increase
    // Prometheus sees (a counter first scraped at 1 would hide it from increase()).
    for (AlertRule rule : AlertRule.values()) {
      alertCounter(rule);
    }
  }

  /** A snapshot of a window of this size was written; {@code closed} for a final one. */
  void snapshot(String window, boolean closed) {
    String kind = closed ? "final" : "early";
    counters.computeIfAbsent(SNAPSHOTS + '|' + window + '|' + kind, key -> Counter.builder(SNAPSHOTS)
        .description("Snapshots written to the metrics topic").tag("window", window).tag("kind", kind).register(meters)).increment();
  }

  /** A final snapshot of a window of this size was written: counted, and its figures set on the gauges. */
  void finalSnapshot(String window, MetricsSnapshot snapshot) {
    snapshot(window, true);
    windows.update(window, snapshot);
  }

  /** An alert was raised. */
  void alert(AlertRule rule) {
    alertCounter(rule).increment();
  }

  private Counter alertCounter(AlertRule rule) {
    return counters.computeIfAbsent(ALERTS + '|' + rule.name(), key -> Counter.builder(ALERTS).description("Alerts raised")
        .tag("rule", rule.name()).register(meters));
  }

  /** A contribution was read {@code millis} after its event time. */
  void lateness(long millis) {
    lateness.record(Math.max(0, millis) / 1000.0);
  }
}
