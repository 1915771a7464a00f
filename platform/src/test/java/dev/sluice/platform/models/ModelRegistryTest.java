package dev.sluice.platform.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The one-shot read and the write, on a MockConsumer and a MockProducer. */
class ModelRegistryTest {
  private static final String TOPIC = "sluice.models";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<ModelDeployment> encoder = new AvroSerializer<>(registry);
  private final ModelRegistry models = new ModelRegistry(TOPIC, new AvroDeserializer<>(ModelDeployment.class, registry), encoder,
      Duration.ofSeconds(10));
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

  @Test
  void readsTheLatestDeploymentOfEveryVersionLessTombstonesAndReportsEachRecordItSkips() {
    ModelDeployment v1 = deployment("minilm", "v1");
    ModelDeployment v2 = deployment("minilm", "v2");
    ModelDeployment otherV1 = deployment("other", "v1");
    topicWith(
        record(0, "minilm/v1", v1),
        record(1, "minilm/v2", v2),
        record(2, null, v1),
        record(3, "not a registry key", v1),
        new ConsumerRecord<>(TOPIC, 0, 4, "minilm/v3", "garbage".getBytes(StandardCharsets.UTF_8)),
        record(5, "other/v1", otherV1),
        record(6, "minilm/v1", null),
        record(7, "minilm/v9", otherV1));

    ModelRegistrySnapshot snapshot = models.read(consumer);

    assertThat(snapshot.deployments().keySet())
        .containsExactly(new ModelKey("minilm", "v2"), new ModelKey("minilm", "v9"), new ModelKey("other", "v1"));
    assertThat(snapshot.deployments().get(new ModelKey("minilm", "v9"))).as("kept under its key though it names another").isEqualTo(otherV1);
    assertThat(snapshot.all()).containsExactly(v2, otherV1, otherV1);
    assertThat(snapshot.skipped()).hasSize(3);
    assertThat(snapshot.skipped().get(0))
        .isEqualTo("skipped the record at sluice.models partition 0 offset 2: Invalid model registry key null: expected model/version");
    assertThat(snapshot.skipped().get(1)).isEqualTo(
        "skipped the record at sluice.models partition 0 offset 3: Invalid model registry key not a registry key: expected model/version");
    assertThat(snapshot.skipped().get(2)).startsWith("skipped deployment minilm/v3: Unknown magic byte")
        .contains("in record from topic sluice.models partition 0 offset 4");
  }

  @Test
  void aRegistryOutageWhileReadingPropagates() {
    SchemaRegistryUnavailableException down = new SchemaRegistryUnavailableException("registry down", new IOException("refused"));
    Deserializer<ModelDeployment> failing = (topic, data) -> {
      throw down;
    };
    topicWith(record(0, "minilm/v1", deployment("minilm", "v1")));

    assertThatThrownBy(() -> new ModelRegistry(TOPIC, failing, encoder, Duration.ofSeconds(10)).read(consumer)).isSameAs(down);
  }

  @Test
  void writesEachDeploymentEncodedUnderItsModelSlashVersionKey() throws InterruptedException {
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    ModelDeployment v1 = deployment("minilm", "v1");
    ModelDeployment v2 = deployment("minilm", "v2");

    models.write(producer, List.of(v1, v2));

    assertThat(producer.history()).extracting(ProducerRecord::topic, ProducerRecord::key)
        .containsExactly(tuple(TOPIC, "minilm/v1"), tuple(TOPIC, "minilm/v2"));
    assertThat(new AvroDeserializer<>(ModelDeployment.class, registry).deserialize(TOPIC, producer.history().get(1).value())).isEqualTo(v2);
  }

  @SafeVarargs
  private void topicWith(ConsumerRecord<String, byte[]>... records) {
    OnePartitionTopic.fill(consumer, TOPIC, List.of(records));
  }

  private ConsumerRecord<String, byte[]> record(long offset, String key, ModelDeployment deployment) {
    return new ConsumerRecord<>(TOPIC, 0, offset, key, deployment == null ? null : encoder.serialize(TOPIC, deployment));
  }

  private static ModelDeployment deployment(String model, String version) {
    return new ModelDeployment(model, version, "classpath:models/" + version, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, null, false,
        null, List.of(), List.of(), Map.of(), Instant.parse("2026-11-26T10:00:00Z"), null, List.of());
  }
}
