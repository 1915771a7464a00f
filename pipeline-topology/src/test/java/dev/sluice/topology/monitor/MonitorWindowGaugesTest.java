package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorWindowGaugesTest extends LabelledMonitorTest {
  @Test
  void exportsQualityThroughputErrorRatioAndLatencyOfEachVersionsLastFinalSnapshot() {
    // v1: 4 labelled classifications, 3 right; plus one ERROR result → 5 results, error ratio 0.2.
    String[][] predictedActual = {{"pos", "pos"}, {"neg", "neg"}, {"pos", "pos"}, {"pos", "neg"}};
    for (int i = 0; i < predictedActual.length; i++) {
      labelled("q" + i, "v1", predictedActual[i][0], predictedActual[i][1], 100 + i * 10L);
    }
    monitor.send(MonitorHarness.result("v1", 200, 40.0).setStatus(Status.ERROR));
    monitor.tick(20_000);

    MetricsSnapshot snapshot = monitor.snapshots().stream().filter(s -> s.getModelVersion().equals("v1")).findFirst().orElseThrow();
    assertThat(gauge(WindowGauges.ACCURACY)).isCloseTo(0.75, within(EPS));
    assertThat(gauge(WindowGauges.PRECISION)).isCloseTo(snapshot.getQuality().getMacroPrecision(), within(EPS));
    assertThat(gauge(WindowGauges.RECALL)).isCloseTo(snapshot.getQuality().getMacroRecall(), within(EPS));
    assertThat(gauge(WindowGauges.F1)).isCloseTo(snapshot.getQuality().getMacroF1(), within(EPS));
    assertThat(gauge(WindowGauges.LABELLED)).isEqualTo(4.0);
    assertThat(gauge(WindowGauges.THROUGHPUT)).isCloseTo(5 / 10.0, within(EPS));
    assertThat(gauge(WindowGauges.ERROR_RATIO)).isCloseTo(0.2, within(EPS));
    assertThat(gauge(WindowGauges.LATENCY, "percentile", "p99")).isCloseTo(snapshot.getLatency().getP99Ms() / 1000, within(EPS));
    assertThat(gauge(WindowGauges.LATENCY, "percentile", "p50")).isCloseTo(snapshot.getLatency().getP50Ms() / 1000, within(EPS));
  }

  @Test
  void aLaterWindowWithoutLabelsOrResultsLeavesItsFiguresUndefinedRatherThanStale() {
    labelled("q", "v1", "pos", "pos", 100);
    monitor.tick(20_000);
    assertThat(gauge(WindowGauges.ACCURACY)).isEqualTo(1.0);

    monitor.sendBatch("v1", 30_000, 8, 100, 120);
    monitor.tick(50_000);

    assertThat(gauge(WindowGauges.ACCURACY)).isNaN();
    assertThat(gauge(WindowGauges.F1)).isNaN();
    assertThat(gauge(WindowGauges.LABELLED)).isZero();
    assertThat(gauge(WindowGauges.THROUGHPUT)).isZero();
    assertThat(gauge(WindowGauges.ERROR_RATIO)).isNaN();
    assertThat(gauge(WindowGauges.LATENCY, "percentile", "p99")).isNaN();
  }

  @Test
  void aWindowLongPastReadsNaNSoAVersionWithoutTrafficOrOwnedElsewhereShowsNoStaleFigure() {
    labelled("q", "v1", "pos", "pos", 100);
    monitor.tick(20_000);
    monitor.clock.advance(Duration.ofSeconds(10 + 20).plus(monitor.config.windows().grace()));
    assertThat(gauge(WindowGauges.THROUGHPUT)).as("two windows and the grace after the window's end").isPositive();

    monitor.clock.advance(Duration.ofSeconds(1));

    assertThat(gauge(WindowGauges.THROUGHPUT)).isNaN();
    assertThat(gauge(WindowGauges.ACCURACY)).isNaN();
    assertThat(gauge(WindowGauges.LATENCY, "percentile", "p99")).isNaN();
  }

  @Test
  void tagsEachVersionAndWindowSeparatelyAndEarlyUpdatesSetNothing() {
    monitor.send(MonitorHarness.result("v1", 100, 10.0));
    monitor.send(MonitorHarness.result("v2", 100, 10.0));
    monitor.send(MonitorHarness.result("v2", 200, 10.0));
    monitor.sendRejection(MonitorHarness.MODEL, ReasonCode.INVALID_TEXT, 300);
    monitor.tick(5_000);

    assertThat(monitor.meters.find(WindowGauges.THROUGHPUT).tag("model", MonitorHarness.MODEL).gauges()).as("no window closed yet").isEmpty();

    monitor.tick(20_000);

    assertThat(monitor.meters.find(WindowGauges.THROUGHPUT).tag("model", MonitorHarness.MODEL).gauges())
        .as("v1 and v2, not the rejections-only version '*'").hasSize(2);
    assertThat(monitor.meters.get(WindowGauges.THROUGHPUT).tags("model", MonitorHarness.MODEL, "version", "v2", "window", "10000ms")
        .gauge().value()).isCloseTo(0.2, within(EPS));
    assertThat(List.of(WindowGauges.ACCURACY, WindowGauges.PRECISION, WindowGauges.RECALL, WindowGauges.F1, WindowGauges.LABELLED,
        WindowGauges.ERROR_RATIO)).allSatisfy(name -> assertThat(monitor.meters.find(name).tag("model", MonitorHarness.MODEL).gauges()).hasSize(2));
    assertThat(monitor.meters.find(WindowGauges.LATENCY).tag("model", MonitorHarness.MODEL).gauges()).as("p50, p95, p99 per version").hasSize(6);
  }

  private double gauge(String name, String... tags) {
    return monitor.meters.get(name).tags("model", MonitorHarness.MODEL, "version", "v1", "window", "10000ms").tags(tags).gauge().value();
  }
}
