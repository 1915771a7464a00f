package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITH_DEFAULT;
import static dev.sluice.schemaregistry.TestSchemas.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.local.kafka.LocalKafkaBroker;
import dev.sluice.local.kafka.LocalKafkaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The registry on {@link KafkaSchemaStore} against a real in-process KRaft broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBackedRegistryTest {

  private static final long ADMIN_TIMEOUT_S = 30;

  private LocalKafkaBroker broker;

  @BeforeAll
  void startBroker(@TempDir Path dataDir) {
    broker = LocalKafkaBroker.start(LocalKafkaConfig.ephemeral(dataDir));
  }

  @AfterAll
  void stopBroker() {
    broker.close();
  }

  @Test
  void createsTheSchemasTopicCompactedWithOnePartition() throws Exception {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(config("_schemas_created"));
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      new RegistryTestClient(registry.url()).registerOk("a-value", V1);

      TopicDescription topic = admin.describeTopics(Set.of("_schemas_created")).allTopicNames().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS)
          .get("_schemas_created");
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas_created");
      String policy = admin.describeConfigs(List.of(resource)).all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS)
          .get(resource).get("cleanup.policy").value();
      assertThat(topic.partitions()).hasSize(1);
      assertThat(topic.partitions().get(0).replicas()).hasSize(1);
      assertThat(policy).isEqualTo("compact");
    }
  }

  @Test
  void aRestartedRegistryServesTheSameIdsVersionsDeletesAndLevels() {
    EmbeddedSchemaRegistryConfig config = config("_schemas_restart");
    try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(config)) {
      RegistryTestClient client = new RegistryTestClient(first.url());
      assertThat(client.registerOk("a-value", V1)).isEqualTo(1);
      assertThat(client.registerOk("a-value", V2_WITH_DEFAULT)).isEqualTo(2);
      assertThat(client.registerOk("b-value", OTHER)).isEqualTo(3);
      assertThat(client.registerOk("c-value", V1)).isEqualTo(1);
      client.delete("/subjects/c-value");
      client.put("/config", "{\"compatibility\":\"FULL\"}");
      client.put("/config/a-value", "{\"compatibility\":\"NONE\"}");
    }

    try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(config)) {
      RegistryTestClient client = new RegistryTestClient(second.url());
      assertThat(client.get("/subjects").json()).isEqualTo(client.parse("[\"a-value\",\"b-value\"]"));
      assertThat(client.get("/subjects/a-value/versions").json()).isEqualTo(client.parse("[1,2]"));
      assertThat(client.get("/subjects/a-value/versions/2").json())
          .isEqualTo(client.parse("{\"subject\":\"a-value\",\"version\":2,\"id\":2,\"schema\":" + quoted(V2_WITH_DEFAULT) + "}"));
      assertThat(client.get("/schemas/ids/3").json()).isEqualTo(client.parse("{\"schema\":" + quoted(OTHER) + "}"));
      assertThat(client.get("/config").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"FULL\"}"));
      assertThat(client.get("/config/a-value").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"NONE\"}"));
      assertThat(client.registerOk("b-value", OTHER)).isEqualTo(3);
      assertThat(client.registerOk("d-value", "\"string\"")).isEqualTo(4);
    }
  }

  @Test
  void refusesATopicWithMoreThanOnePartition() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("_schemas_wide", 2, (short) 1))).all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
    }

    assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(config("_schemas_wide")))
        .isInstanceOf(RegistryStartupException.class)
        .hasMessageContaining("_schemas_wide has 2 partitions");
  }

  private EmbeddedSchemaRegistryConfig config(String topic) {
    return EmbeddedSchemaRegistryConfig.defaults(broker.bootstrapServers())
        .withPort(0)
        .withTopic(topic)
        .withStartupTimeout(Duration.ofSeconds(30));
  }
}
