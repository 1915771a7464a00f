package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendChoiceTest {
  private static final ClusterSpec ONE = ClusterSpec.singleBroker();
  private static final ClusterSpec THREE = new ClusterSpec(3, true, Map.of());

  @Test
  void autoUsesContainerForOneBrokerWhenDockerIsAvailable() {
    assertThat(KafkaClusters.choose(ONE, TestKitBackend.AUTO, () -> true))
        .isEqualTo(TestKitBackend.CONTAINER);
  }

  @Test
  void autoRunsInProcessWithoutDocker() {
    assertThat(KafkaClusters.choose(ONE, TestKitBackend.AUTO, () -> false))
        .isEqualTo(TestKitBackend.INPROCESS);
  }

  @Test
  void severalBrokersRunInProcessEvenWhenContainerIsForced() {
    assertThat(KafkaClusters.choose(THREE, TestKitBackend.AUTO, () -> true))
        .isEqualTo(TestKitBackend.INPROCESS);
    assertThat(KafkaClusters.choose(THREE, TestKitBackend.CONTAINER, () -> true))
        .isEqualTo(TestKitBackend.INPROCESS);
  }

  @Test
  void forcedInProcessNeverAsksForDocker() {
    assertThat(KafkaClusters.choose(ONE, TestKitBackend.INPROCESS, () -> {
      throw new AssertionError("Docker must not be probed");
    })).isEqualTo(TestKitBackend.INPROCESS);
  }

  @Test
  void forcedContainerWithoutDockerFailsWithWhatToDo() {
    assertThatThrownBy(() -> KafkaClusters.choose(ONE, TestKitBackend.CONTAINER, () -> false))
        .isInstanceOf(TestKitException.class)
        .hasMessage("sluice.testkit.backend=container, but Docker is not available. Start "
            + "Docker, or use sluice.testkit.backend=inprocess or auto.");
  }

  @Test
  void parsesBackendNamesIgnoringCaseAndRejectsUnknownOnes() {
    assertThat(TestKitBackend.parse(null)).isEqualTo(TestKitBackend.AUTO);
    assertThat(TestKitBackend.parse("InProcess")).isEqualTo(TestKitBackend.INPROCESS);
    assertThat(TestKitBackend.parse("in-process")).isEqualTo(TestKitBackend.INPROCESS);
    assertThat(TestKitBackend.parse("container")).isEqualTo(TestKitBackend.CONTAINER);
    assertThatThrownBy(() -> TestKitBackend.parse("docker"))
        .hasMessage("Invalid value docker for configuration sluice.testkit.backend: must be one "
            + "of auto, inprocess, container");
  }
}
