package dev.sluice.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.worker.FakeLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFleetMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ModelFleet fleet = new ModelFleet("minilm", new FakeLoader(), Runnable::run);

  @Test
  void timesEachLoadByOutcomeAndGaugesTheVersionsServing() {
    new ModelFleetMetrics(fleet).bindTo(registry);

    fleet.deployed(deployment("v1", "classpath:models/v1"));
    fleet.deployed(deployment("v2", "file:/models/broken"));
    fleet.applyChanges(version -> true);

    assertThat(registry.get(ModelFleetMetrics.LOAD_TIMER).tags("model", "minilm", "version", "v1", "outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(ModelFleetMetrics.LOAD_TIMER).tags("model", "minilm", "version", "v2", "outcome", "failure").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(ModelFleetMetrics.LOADED_GAUGE).tag("model", "minilm").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void aFleetNotBoundRegistersNothing() {
    fleet.deployed(deployment("v1", "classpath:models/v1"));

    assertThat(registry.getMeters()).isEmpty();
  }

  private static ModelDeployment deployment(String version, String artifact) {
    return new ModelDeployment("minilm", version, artifact, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, null, false, null, List.of(),
        List.of(), Map.of(), Instant.parse("2026-11-26T10:00:00Z"), null, List.of());
  }
}
