package dev.sluice.topology.monitor;

import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.QualityMetrics;
import dev.sluice.avro.Status;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The figures of each model version's last final snapshot, as gauges, so a dashboard can chart
 * what otherwise lives only on {@code <prefix>.metrics}. Tags {@code model}, {@code version} and
 * {@code window} (the window size, e.g. {@code 60000ms}); a gauge reads NaN while its figure is
 * undefined for the last closed window (no labels, no results), and once that window is stale: its
 * end more than two window lengths plus the grace behind the wall clock (the version had no
 * traffic since, was undeployed, or another monitor instance now owns its partition), so a chart
 * never shows an old window's figure as current.
 *
 * <ul>
 *   <li>{@value #ACCURACY}, {@value #PRECISION}, {@value #RECALL}, {@value #F1}: model quality from
 *       feedback labels (precision, recall and F1 macro-averaged over the classes);
 *   <li>{@value #LABELLED}: results with a label in the window (0 when none);
 *   <li>{@value #THROUGHPUT} (requests per second): results over the window's length;
 *   <li>{@value #ERROR_RATIO}: results with status ERROR over all results;
 *   <li>{@value #LATENCY} (seconds; tag {@code percentile}: p50, p95, p99): end-to-end latency
 *       percentiles from the window's mergeable sketch.
 * </ul>
 *
 * <p>A version's gauges appear with its first final snapshot and stay for the process's life
 * (versions are few), NaN while stale. Thread-safe.
 */
final class WindowGauges {
  /** Share of labelled results whose top label was right. */
  static final String ACCURACY = "sluice.monitor.quality.accuracy";
  /** Macro-averaged precision. */
  static final String PRECISION = "sluice.monitor.quality.precision";
  /** Macro-averaged recall. */
  static final String RECALL = "sluice.monitor.quality.recall";
  /** Macro-averaged F1. */
  static final String F1 = "sluice.monitor.quality.f1";
  /** Labelled results in the window. */
  static final String LABELLED = "sluice.monitor.quality.labelled";
  /** Results per second over the window. */
  static final String THROUGHPUT = "sluice.monitor.window.throughput";
  /** ERROR results over all results. */
  static final String ERROR_RATIO = "sluice.monitor.window.error.ratio";
  /** End-to-end latency percentiles. */
  static final String LATENCY = "sluice.monitor.window.latency";

  private final MeterRegistry meters;
  private final Clock clock;
  private final long graceMs;
  private final Map<List<String>, Last> versions = new ConcurrentHashMap<>();

  WindowGauges(MeterRegistry meters, Clock clock, Duration grace) {
    this.meters = meters;
    this.clock = clock;
    this.graceMs = grace.toMillis();
  }

  /** A final snapshot of a window of this size was written: its version's gauges now show it. */
  void update(String window, MetricsSnapshot snapshot) {
    if (MonitorKeys.ALL.equals(snapshot.getModelVersion())) {
      return; // a rejections-only snapshot has no version's figures to show
    }
    versions.computeIfAbsent(List.of(snapshot.getModel(), snapshot.getModelVersion(), window), key -> register(key, snapshot))
        .snapshot = snapshot;
  }

  private Last register(List<String> key, MetricsSnapshot first) {
    Tags tags = Tags.of("model", key.get(0), "version", key.get(1), "window", key.get(2));
    Last last = new Last(first);
    gauge(ACCURACY, "Share of labelled results whose top label was right, last closed window", tags, last,
        s -> quality(s, QualityMetrics::getAccuracy));
    gauge(PRECISION, "Macro-averaged precision, last closed window", tags, last, s -> quality(s, QualityMetrics::getMacroPrecision));
    gauge(RECALL, "Macro-averaged recall, last closed window", tags, last, s -> quality(s, QualityMetrics::getMacroRecall));
    gauge(F1, "Macro-averaged F1, last closed window", tags, last, s -> quality(s, QualityMetrics::getMacroF1));
    gauge(LABELLED, "Results with a feedback label, last closed window", tags, last,
        s -> s.getQuality() == null ? 0 : s.getQuality().getLabelled());
    Gauge.builder(THROUGHPUT, last, l -> read(l, MetricsSnapshot::getThroughputPerS)).baseUnit("requests.per.second")
        .description("Results per second, last closed window").tags(tags).strongReference(true).register(meters);
    gauge(ERROR_RATIO, "Share of results with status ERROR, last closed window", tags, last, WindowGauges::errorRatio);
    latency("p50", tags, last, LatencySummary::getP50Ms);
    latency("p95", tags, last, LatencySummary::getP95Ms);
    latency("p99", tags, last, LatencySummary::getP99Ms);
    return last;
  }

  private void gauge(String name, String description, Tags tags, Last last, ToDoubleFunction<MetricsSnapshot> figure) {
    Gauge.builder(name, last, l -> read(l, figure)).description(description).tags(tags).strongReference(true)
        .register(meters);
  }

  private void latency(String percentile, Tags tags, Last last, ToDoubleFunction<LatencySummary> millis) {
    Gauge.builder(LATENCY, last, l -> read(l, s -> s.getLatency() == null ? Double.NaN : millis.applyAsDouble(s.getLatency()) / 1000.0))
        .baseUnit("seconds").description("End-to-end latency percentile, last closed window").tags(tags).tag("percentile", percentile)
        .strongReference(true).register(meters);
  }

  /** A figure of the last final snapshot, or NaN once that window is stale. */
  private double read(Last last, ToDoubleFunction<MetricsSnapshot> figure) {
    MetricsSnapshot snapshot = last.snapshot;
    long end = snapshot.getWindowEnd().toEpochMilli();
    long length = end - snapshot.getWindowStart().toEpochMilli();
    return clock.millis() - end > 2 * length + graceMs ? Double.NaN : figure.applyAsDouble(snapshot);
  }

  private static double quality(MetricsSnapshot snapshot, ToDoubleFunction<QualityMetrics> figure) {
    QualityMetrics quality = snapshot.getQuality();
    return quality == null || quality.getLabelled() == 0 ? Double.NaN : figure.applyAsDouble(quality);
  }

  private static double errorRatio(MetricsSnapshot snapshot) {
    if (snapshot.getRequestCount() == 0) {
      return Double.NaN;
    }
    return snapshot.getStatusCounts().getOrDefault(Status.ERROR.name(), 0L) / (double) snapshot.getRequestCount();
  }

  /** The last final snapshot of one version and window size. */
  private static final class Last {
    volatile MetricsSnapshot snapshot;

    Last(MetricsSnapshot first) {
      this.snapshot = first;
    }
  }
}
