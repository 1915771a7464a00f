package dev.sluice.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation and parsing of {@link EmbeddedSchemaRegistryConfig}. */
class EmbeddedSchemaRegistryConfigTest {

  @Test
  void defaultsMatchConfluentsRegistry() {
    EmbeddedSchemaRegistryConfig config = EmbeddedSchemaRegistryConfig.defaults("localhost:9092");

    assertThat(config.port()).isEqualTo(8081);
    assertThat(config.topic()).isEqualTo("_schemas");
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.replicationFactor()).isEqualTo(EmbeddedSchemaRegistryConfig.AUTO_REPLICATION_FACTOR);
  }

  @Test
  void reportsEveryProblemAtOnceInKafkasShape() {
    assertThatThrownBy(() -> new EmbeddedSchemaRegistryConfig(" ", "", -1, "bad topic!", 0, Map.of(), Duration.ZERO))
        .isInstanceOfSatisfying(RegistryConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "Invalid value   for configuration registry.bootstrap.servers: must be a non-empty list of host:port pairs",
            "Invalid value  for configuration registry.host: must be a host name or address",
            "Invalid value -1 for configuration registry.port: must be between 0 and 65535",
            "Invalid value bad topic! for configuration registry.topic: must be a legal Kafka topic name (1 to 249 of [a-zA-Z0-9._-], not '.' or '..')",
            "Invalid value 0 for configuration registry.replication.factor: must be -1 (min(3, brokers)) or between 1 and 32767",
            "Invalid value 0 for configuration registry.startup.timeout.ms: must be >= 1"));
  }

  @Test
  void withersValidateToo() {
    EmbeddedSchemaRegistryConfig config = EmbeddedSchemaRegistryConfig.defaults("localhost:9092");

    assertThatThrownBy(() -> config.withPort(65536))
        .isInstanceOf(RegistryConfigException.class)
        .hasMessage("Invalid value 65536 for configuration registry.port: must be between 0 and 65535");
  }

  @Test
  void parsesPropertiesAndPassesPrefixedOnesToTheKafkaClients() {
    EmbeddedSchemaRegistryConfig config = EmbeddedSchemaRegistryConfig.fromProperties(Map.of(
        "registry.bootstrap.servers", "broker:9093",
        "registry.port", "0",
        "registry.topic", "_sluice_schemas",
        "registry.replication.factor", "1",
        "registry.startup.timeout.ms", "5000",
        "registry.kafka.security.protocol", "SSL"));

    assertThat(config).isEqualTo(new EmbeddedSchemaRegistryConfig(
        "broker:9093", "localhost", 0, "_sluice_schemas", 1, Map.of("security.protocol", "SSL"), Duration.ofSeconds(5)));
  }

  @Test
  void propertiesThatAreNotNumbersOrMissingAreReportedTogether() {
    assertThatThrownBy(() -> EmbeddedSchemaRegistryConfig.fromProperties(Map.of("registry.port", "eighty")))
        .isInstanceOfSatisfying(RegistryConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "Invalid value eighty for configuration registry.port: not a 32-bit integer",
            "Missing required configuration \"registry.bootstrap.servers\" which has no default value."));
  }
}
