package dev.sluice.topology.monitor;

import dev.sluice.avro.AlertRule;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.QualityMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * For the deploy tests (system-tests): the monitor's real {@link MonitorMetrics} after an early
 * and a final snapshot (with latency and quality figures), an alert and a contribution, so a
 * scrape shows the series a busy monitor exposes. In the monitor's package to reach its recording
 * methods, which the monitor keeps to itself.
 */
public final class MonitorMetersInUse {
  private MonitorMetersInUse() {}

  /** Creates the monitor's meters on {@code registry} and records one of each kind. */
  public static void createAndRecord(MeterRegistry registry) {
    MonitorMetrics metrics = new MonitorMetrics(registry, Clock.fixed(Instant.ofEpochMilli(60_000), ZoneOffset.UTC), Duration.ZERO);
    metrics.snapshot("60000ms", false);
    metrics.finalSnapshot("60000ms", MetricsSnapshot.newBuilder().setModel("m").setModelVersion("v1")
        .setWindowStart(Instant.EPOCH).setWindowEnd(Instant.ofEpochMilli(60_000)).setRequestCount(10).setThroughputPerS(10 / 60.0)
        .setStatusCounts(Map.of("OK", 9L, "ERROR", 1L)).setLatency(new LatencySummary(5.0, 9.0, 12.0, 15.0, 6.0))
        .setQuality(new QualityMetrics(4L, 0.75, 0.7, 0.8, 0.74, List.of())).build());
    metrics.alert(AlertRule.ERROR_RATE);
    metrics.lateness(250);
  }
}
