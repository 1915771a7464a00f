package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.avro.Alert;
import dev.sluice.avro.AlertRule;
import dev.sluice.avro.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorAlertsTest {
  private static final long WINDOW_MS = 10_000;
  @TempDir Path stateDir;
  private MonitorHarness monitor;

  @BeforeEach
  void start() {
    monitor = new MonitorHarness(stateDir, Map.of("monitor.window.sizes.ms", "10000,60000", "monitor.window.grace.ms", "1000",
        "monitor.early.update.interval.ms", "0", "monitor.alert.baseline.windows", "3", "monitor.alert.min.requests", "5"));
  }

  @AfterEach
  void close() {
    monitor.close();
  }

  /** Sends {@code count} results of a version spread over window {@code index}, {@code errors} of them failed. */
  private void window(int index, String version, int count, double latencyMs, int errors) {
    for (int i = 0; i < count; i++) {
      long at = index * WINDOW_MS + i * (WINDOW_MS / count);
      monitor.send(MonitorHarness.result(version, at, latencyMs + (i % 3)).setStatus(i < errors ? Status.ERROR : Status.OK));
    }
  }

  private List<Alert> alertsAfterClosing(int windows) {
    monitor.tick(windows * WINDOW_MS + 2_000);
    return monitor.alerts.readValuesToList();
  }

  @Test
  void raisesNoAlertForSteadyTraffic() {
    for (int w = 0; w < 10; w++) {
      window(w, "v1", 10 + (w % 2), 20.0, 0);
      window(w, "v2", 10, 21.0, 0);
    }

    assertThat(alertsAfterClosing(10)).isEmpty();
    assertThat(monitor.meters.get("sluice.monitor.alerts").counters()).as("every rule's counter, at 0 before its first alert, so"
        + " Prometheus sees the first one as an increase").hasSize(AlertRule.values().length).allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void raisesAThroughputSpikeAgainstTheTrailingBaseline() {
    for (int w = 0; w < 4; w++) {
      window(w, "v1", 10, 20.0, 0);
    }
    window(4, "v1", 40, 20.0, 0);

    assertThat(alertsAfterClosing(5)).singleElement().satisfies(alert -> {
      assertThat(alert.getRule()).isEqualTo(AlertRule.THROUGHPUT_SPIKE);
      assertThat(alert.getModel()).isEqualTo(MonitorHarness.MODEL);
      assertThat(alert.getModelVersion()).isEqualTo("v1");
      assertThat(alert.getObserved()).isCloseTo(4.0, within(1e-9));
      assertThat(alert.getExpected()).isCloseTo(1.0, within(1e-9));
      assertThat(alert.getWindowStart()).isEqualTo(MonitorHarness.T0.plusSeconds(40));
      assertThat(alert.getRaisedAt()).isEqualTo(MonitorHarness.T0);
    });
    assertThat(monitor.meters.get("sluice.monitor.alerts").tag("rule", "THROUGHPUT_SPIKE").counter().count()).isEqualTo(1.0);
  }

  @Test
  void raisesAThroughputDropAgainstTheTrailingBaseline() {
    for (int w = 0; w < 4; w++) {
      window(w, "v1", 12, 20.0, 0);
    }
    window(4, "v1", 2, 20.0, 0);

    assertThat(alertsAfterClosing(5)).singleElement().satisfies(alert -> {
      assertThat(alert.getRule()).isEqualTo(AlertRule.THROUGHPUT_DROP);
      assertThat(alert.getObserved()).isCloseTo(0.2, within(1e-9));
      assertThat(alert.getExpected()).isCloseTo(1.2, within(1e-9));
    });
  }

  @Test
  void trafficResumingInTheMiddleOfAWindowAfterAPauseRaisesNoDrop() {
    for (int w = 0; w < 4; w++) {
      window(w, "v1", 12, 20.0, 0);
    }
    // Three windows without traffic, then it starts again late in window 7: few requests in that
    // window, against the old baseline a drop; the window after is full again.
    monitor.send(MonitorHarness.result("v1", 7 * WINDOW_MS + 8_000, 20.0));
    monitor.send(MonitorHarness.result("v1", 7 * WINDOW_MS + 9_000, 20.0));
    window(8, "v1", 12, 20.0, 0);

    assertThat(alertsAfterClosing(9)).isEmpty();
  }

  @Test
  void raisesOneThroughputDropToZeroWhenAVersionGoesQuiet() {
    for (int w = 0; w < 4; w++) {
      window(w, "v1", 10, 20.0, 0);
    }
    assertThat(alertsAfterClosing(4)).isEmpty();

    monitor.driver.advanceWallClockTime(Duration.ofSeconds(60));
    assertThat(monitor.alerts.readValuesToList()).as("two empty windows and the grace have not passed").isEmpty();
    monitor.driver.advanceWallClockTime(Duration.ofSeconds(10));

    assertThat(monitor.alerts.readValuesToList()).singleElement().satisfies(alert -> {
      assertThat(alert.getRule()).isEqualTo(AlertRule.THROUGHPUT_DROP);
      assertThat(alert.getModelVersion()).isEqualTo("v1");
      assertThat(alert.getObserved()).isZero();
      assertThat(alert.getExpected()).isCloseTo(1.0, within(1e-9));
      assertThat(alert.getWindowStart()).isEqualTo(MonitorHarness.T0.plusSeconds(40));
      assertThat(alert.getDetail()).contains("no traffic since");
    });
    monitor.driver.advanceWallClockTime(Duration.ofMinutes(5));
    assertThat(monitor.alerts.readValuesToList()).as("raised once").isEmpty();
  }

  @Test
  void raisesAnErrorRateAlertOverTheThreshold() {
    window(0, "v1", 20, 20.0, 3);

    assertThat(alertsAfterClosing(1)).singleElement().satisfies(alert -> {
      assertThat(alert.getRule()).isEqualTo(AlertRule.ERROR_RATE);
      assertThat(alert.getObserved()).isCloseTo(0.15, within(1e-9));
      assertThat(alert.getExpected()).isCloseTo(0.05, within(1e-9));
      assertThat(alert.getDetail()).contains("3 of 20");
    });
  }

  @Test
  void raisesALatencyRegressionOfAVersionAgainstItsSibling() {
    window(0, "stable", 10, 20.0, 0);
    window(0, "canary", 10, 45.0, 0);

    assertThat(alertsAfterClosing(1)).singleElement().satisfies(alert -> {
      assertThat(alert.getRule()).isEqualTo(AlertRule.LATENCY_REGRESSION);
      assertThat(alert.getModelVersion()).isEqualTo("canary");
      assertThat(alert.getSiblingVersion()).isEqualTo("stable");
      assertThat(alert.getObserved()).isCloseTo(47.0, within(47.0 * 0.01));
      assertThat(alert.getExpected()).isCloseTo(22.0, within(22.0 * 0.01));
    });
  }
}
