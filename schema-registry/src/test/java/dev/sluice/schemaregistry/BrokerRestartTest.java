package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.local.kafka.LocalKafkaBroker;
import dev.sluice.local.kafka.LocalKafkaConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema ids survive stopping both the broker and the registry and starting them on the same data directory. */
class BrokerRestartTest {

  @TempDir Path dataDir;

  @Test
  void idsVersionsAndLevelsSurviveABrokerAndRegistryRestartOnTheSameDataDirectory() {
    LocalKafkaConfig brokerConfig = LocalKafkaConfig.ephemeral(dataDir);
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(brokerConfig);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(registryConfig(broker))) {
      RegistryTestClient client = new RegistryTestClient(registry.url());
      client.registerOk("a-value", V1);
      client.registerOk("a-value", V2_WITH_DEFAULT);
      client.put("/config/a-value", "{\"compatibility\":\"FORWARD\"}");
    }

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(brokerConfig);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(registryConfig(broker))) {
      RegistryTestClient client = new RegistryTestClient(registry.url());
      assertThat(client.get("/subjects/a-value/versions").json()).isEqualTo(client.parse("[1,2]"));
      assertThat(client.get("/subjects/a-value/versions/latest").json().get("id").asInt()).isEqualTo(2);
      assertThat(client.get("/config/a-value").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"FORWARD\"}"));
      assertThat(client.registerOk("a-value", V1)).isEqualTo(1);
      assertThat(client.registerOk("b-value", OTHER)).isEqualTo(3);
    }
  }

  private static EmbeddedSchemaRegistryConfig registryConfig(LocalKafkaBroker broker) {
    return EmbeddedSchemaRegistryConfig.defaults(broker.bootstrapServers()).withPort(0).withStartupTimeout(Duration.ofSeconds(30));
  }
}
