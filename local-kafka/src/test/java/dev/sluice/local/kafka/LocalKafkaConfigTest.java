package dev.sluice.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LocalKafkaConfigTest {
  private static final Path DIR = Path.of("/var/lib/sluice");

  @Test
  void defaultsUseWellKnownClientPortAndEphemeralControllerPort() {
    LocalKafkaConfig config = LocalKafkaConfig.defaults(DIR);

    assertThat(config.brokerPort()).isEqualTo(9092);
    assertThat(config.controllerPort()).isZero();
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.nodeId()).isEqualTo(1);
    assertThat(config.clusterId()).isEmpty();
    assertThat(config.logDirectory().getParent()).isEqualTo(DIR);
  }

  @Test
  void rejectsOutOfRangePortInKafkasMessageShape() {
    assertThatThrownBy(() -> LocalKafkaConfig.defaults(DIR).withBrokerPort(-1))
        .isInstanceOf(LocalKafkaConfigException.class)
        .hasMessage("Invalid value -1 for configuration broker.port: must be between 0 and 65535");
  }

  @Test
  void collectsEveryProblemAtOnce() {
    LocalKafkaConfigException e = catchConfigProblem(() -> new LocalKafkaConfig(null, " ", 70000,
        -5, -1, Optional.of("not-a-cluster-id"), Duration.ZERO, Map.of("listeners", "x://y:1")));

    assertThat(e.problems()).containsExactly(
        "Invalid value null for configuration data.dir: must be set to a directory path",
        "Invalid value   for configuration host: must be a host name or address",
        "Invalid value 70000 for configuration broker.port: must be between 0 and 65535",
        "Invalid value -5 for configuration controller.port: must be between 0 and 65535",
        "Invalid value -1 for configuration node.id: must be >= 0",
        e.problems().get(5),
        "Invalid value 0 for configuration startup.timeout.ms: must be >= 1",
        "Invalid value x://y:1 for configuration kafka.listeners: managed by the local broker; "
            + "set host, broker.port, controller.port, node.id or data.dir instead");
    assertThat(e.problems().get(5)).startsWith(
        "Invalid value not-a-cluster-id for configuration cluster.id: must be a base64 UUID");
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
  }

  @Test
  void rejectsSameFixedPortForBrokerAndController() {
    assertThatThrownBy(() -> LocalKafkaConfig.defaults(DIR).withControllerPort(9092))
        .hasMessage("Invalid value 9092 for configuration controller.port: must differ from "
            + "broker.port");
  }

  @Test
  void parsesPropertiesWithBrokerOverrides() {
    LocalKafkaConfig config = LocalKafkaConfig.fromProperties(Map.of(
        "data.dir", "/tmp/sluice",
        "broker.port", "0",
        "controller.port", "19093",
        "cluster.id", "MkU3OEVBNTcwNTJENDM2Qg",
        "startup.timeout.ms", "1500",
        "kafka.log.retention.ms", "60000"));

    assertThat(config.dataDirectory()).isEqualTo(Path.of("/tmp/sluice"));
    assertThat(config.brokerPort()).isZero();
    assertThat(config.controllerPort()).isEqualTo(19093);
    assertThat(config.clusterId()).contains("MkU3OEVBNTcwNTJENDM2Qg");
    assertThat(config.startupTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.brokerProperties()).containsExactly(Map.entry("log.retention.ms", "60000"));
  }

  @Test
  void reportsUnparsableMissingAndUnknownPropertiesTogether() {
    LocalKafkaConfigException e = catchConfigProblem(() -> LocalKafkaConfig.fromProperties(
        Map.of("broker.port", "ninety", "brokerport", "9092")));

    assertThat(e.problems()).containsExactly(
        "Invalid value ninety for configuration broker.port: must be an integer",
        "Invalid value 9092 for configuration brokerport: unknown setting; known settings are "
            + "broker.port, cluster.id, controller.port, data.dir, host, node.id, "
            + "startup.timeout.ms and kafka.<broker property>",
        "Invalid value null for configuration data.dir: must be set to a directory path");
  }

  private static LocalKafkaConfigException catchConfigProblem(ThrowingCallable action) {
    LocalKafkaConfigException e = catchThrowableOfType(LocalKafkaConfigException.class, action);
    assertThat(e).as("expected a LocalKafkaConfigException").isNotNull();
    return e;
  }
}
