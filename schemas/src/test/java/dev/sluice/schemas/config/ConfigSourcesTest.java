package dev.sluice.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

  @Test
  void environmentOverridesTheFileForEveryComponent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sluice.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nworker.flush.max.records=8\ningress.partitions=3\n");

    Map<String, String> merged = ConfigSources.merge(ConfigSources.load(file), Map.of(
        "SLUICE_BOOTSTRAP_SERVERS", "env:9092",
        "SLUICE_WORKER_FLUSH_MAX_RECORDS", "64",
        "SLUICE_MONITOR_WINDOW_MS", "10000",
        "SLUICE_KAFKA_SASL_JAAS_CONFIG", "secret",
        "PATH", "/usr/bin"));

    assertThat(merged).containsEntry("bootstrap.servers", "env:9092").containsEntry("worker.flush.max.records", "64")
        .containsEntry("ingress.partitions", "3").containsEntry("monitor.window.ms", "10000")
        .containsEntry("sasl.jaas.config", "secret").doesNotContainKey("path");
  }

  @Test
  void mapsComponentVariablesToDottedKeysAndIgnoresBarePrefixes() {
    assertThat(ConfigSources.keyOf("SLUICE_INGRESS_DEDUP_TTL_MS")).isEqualTo("ingress.dedup.ttl.ms");
    assertThat(ConfigSources.keyOf("SLUICE_WORKER_MODEL")).isEqualTo("worker.model");
    assertThat(ConfigSources.keyOf("SLUICE_WORKER_")).isNull();
    assertThat(ConfigSources.keyOf("SLUICE_UNKNOWN_X")).isNull();
  }

  @Test
  void kafkaClientKeysTakeOnlyTheKafkaVariables() {
    assertThat(ConfigSources.kafkaClientKeys(Map.of(
        "SLUICE_KAFKA_SASL_JAAS_CONFIG", "secret",
        "SLUICE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "SLUICE_KAFKA_", "bare",
        "SLUICE_BOOTSTRAP_SERVERS", "env:9092",
        "SLUICE_WORKER_FLUSH_MAX_RECORDS", "64")))
        .containsOnly(Map.entry("sasl.jaas.config", "secret"), Map.entry("security.protocol", "SASL_SSL"));
  }

  @Test
  void unreadableFileIsAConfigException(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigSources.load(dir.resolve("missing.properties")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("missing.properties");
  }
}
