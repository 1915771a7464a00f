package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Feedback;
import dev.sluice.avro.MetricsSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feedback from producers no one here controls cannot stop the monitor or close its windows early. */
class MonitorPoisonRecordTest {
  @TempDir Path stateDir;

  @Test
  void feedbackWithAHugeLabelOrATimeAtTheEndsOfTimeStopsNothing() {
    try (MonitorHarness monitor = new MonitorHarness(stateDir, Map.of())) {
      monitor.send(MonitorHarness.result("v1", 100, 5.0));
      for (long millis : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -8_640_000_000_000_000L, 8_640_000_000_000_000L}) {
        monitor.feedback.pipeInput("f".getBytes(StandardCharsets.UTF_8), Feedback.newBuilder().setRequestId("x").setModel("minilm")
            .setLabel("l".repeat(100_000)).setObservedAt(Instant.ofEpochMilli(millis)).build(), MonitorHarness.T0.plusMillis(150));
        monitor.feedback.pipeInput("f".getBytes(StandardCharsets.UTF_8), Feedback.newBuilder().setRequestId("x").setModel("minilm")
            .setLabel("cat").setObservedAt(Instant.ofEpochMilli(millis)).build(), MonitorHarness.T0.plusMillis(150));
      }
      monitor.send(MonitorHarness.result("v1", 200, 5.0));
      monitor.tick(30_000);

      assertThat(monitor.snapshots()).filteredOn(MetricsSnapshot::getFinal$)
          .filteredOn(s -> s.getModelVersion() != null && s.getModelVersion().equals("v1"))
          .anySatisfy(snapshot -> assertThat(snapshot.getRequestCount()).isEqualTo(2));
    }
  }
}
