package dev.sluice.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.worker.FakeRunner;
import dev.sluice.worker.model.ModelRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionStateTest {
  private final VersionState state = new VersionState();
  private final List<ModelRunner> toClose = new ArrayList<>();

  @Test
  void aLoadIsStagedThenSwappedInAndALaterLoadReplacesIt() {
    FakeRunner first = load(deployment("uri-1", 1.0), 1);
    assertThat(state.swapIn(toClose)).isEqualTo(VersionState.Swap.FIRST);
    assertThat(state.serving().runner()).isSameAs(first);

    FakeRunner second = load(deployment("uri-2", 1.0), 2);
    assertThat(state.serving().runner()).as("serving until the swap").isSameAs(first);
    assertThat(state.swapIn(toClose)).isEqualTo(VersionState.Swap.REPLACED);

    assertThat(state.serving().runner()).isSameAs(second);
    assertThat(toClose).containsExactly(first);
  }

  @Test
  void aRedeploymentOfTheSameModelKeepsTheServingRunnerAndNeedsNoLoad() {
    FakeRunner runner = load(deployment("uri-1", 1.0), 1);
    state.swapIn(toClose);
    ModelDeployment reweighted = deployment("uri-1", 0.5);

    assertThat(state.deploy(reweighted, toClose)).isFalse();

    assertThat(state.serving()).isEqualTo(new VersionState.Loaded(reweighted, runner));
    assertThat(state.pending()).isFalse();
  }

  @Test
  void aSupersededLoadIsNotStagedAndASupersededFailureIsIgnored() {
    state.deploy(deployment("uri-1", 1.0), toClose);
    state.loading(1);
    state.deploy(deployment("uri-2", 1.0), toClose);
    state.loading(2);

    assertThat(state.loaded(1, deployment("uri-1", 1.0), new FakeRunner("m", "v1", 1f))).isFalse();
    assertThat(state.loadFailed(1, "stale")).isFalse();
    assertThat(state.failure()).isNull();
    assertThat(state.loadFailed(2, "broken")).isTrue();
    assertThat(state.failure()).isEqualTo("broken");
    assertThat(state.pending()).isFalse();
  }

  @Test
  void aRemovedVersionServesUntilDrainedThenClosesAndIsForgotten() {
    FakeRunner runner = load(deployment("uri-1", 1.0), 1);
    state.swapIn(toClose);
    state.remove(toClose);

    assertThat(state.retireIfDrained(false, toClose)).isFalse();
    assertThat(state.serving().runner()).isSameAs(runner);
    assertThat(state.retireIfDrained(true, toClose)).isTrue();

    assertThat(toClose).containsExactly(runner);
    assertThat(state.forgotten()).isTrue();
  }

  private FakeRunner load(ModelDeployment deployment, long generation) {
    assertThat(state.deploy(deployment, toClose)).isTrue();
    state.loading(generation);
    assertThat(state.pending()).isTrue();
    FakeRunner runner = new FakeRunner("m", "v1", generation);
    assertThat(state.loaded(generation, deployment, runner)).isTrue();
    return runner;
  }

  private static ModelDeployment deployment(String artifact, double weight) {
    return new ModelDeployment("m", "v1", artifact, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, weight, null, false, null, List.of(), List.of(),
        Map.of(), Instant.parse("2026-11-26T10:00:00Z"), null, List.of());
  }
}
