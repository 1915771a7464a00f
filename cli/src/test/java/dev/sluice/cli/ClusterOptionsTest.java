package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterOptionsTest {

  @Test
  void kafkaVariablesOfTheEnvironmentOverrideTheCommandConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
    ClusterOptions options = new ClusterOptions();
    new CommandLine(options).parseArgs("--bootstrap-servers", "kafka:9093", "--command-config", file.toString());

    Map<String, Object> props = options.clientProperties(Map.of(
        "SLUICE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "SLUICE_KAFKA_SASL_JAAS_CONFIG", "a-login",
        "SLUICE_WORKER_FLUSH_MAX_RECORDS", "64"));

    assertThat(props).containsEntry("bootstrap.servers", "kafka:9093").containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", "a-login")
        .doesNotContainKey("worker.flush.max.records");
  }
}
