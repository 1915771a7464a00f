package dev.sluice.platform.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.LoadState;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/** The one-shot read of the workers' load states, on a MockConsumer. */
class ModelStatusTest {
  private static final String TOPIC = "sluice.model-status";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<ModelLoadState> encoder = new AvroSerializer<>(registry);
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

  @Test
  void keepsEachWorkersLastReportLessWithdrawnOnesAndReportsWhatItSkips() {
    ModelLoadState loading = state("v1", "w1", LoadState.LOADING);
    ModelLoadState ready = state("v1", "w1", LoadState.READY);
    ModelLoadState failed = state("v2", "w1", LoadState.FAILED);
    ModelLoadState other = state("v1", "w2", LoadState.READY);
    topicWith(
        record(0, "m/v1/w1", loading),
        record(1, "m/v2/w1", failed),
        record(2, "m/v1/w2", other),
        record(3, "m/v1/w1", ready),
        new ConsumerRecord<>(TOPIC, 0, 4, "m/v1/w2", "garbage".getBytes(StandardCharsets.UTF_8)),
        record(5, "m/v2/w1", null));

    ModelStatusSnapshot snapshot = status(new AvroDeserializer<>(ModelLoadState.class, registry)).read(consumer);

    assertThat(snapshot.states()).as("by key; w2's report kept past its undecodable one").containsExactly(ready, other);
    assertThat(snapshot.skipped()).singleElement().asString()
        .startsWith("skipped the load state at sluice.model-status partition 0 offset 4: ").contains("magic byte");
  }

  @Test
  void aRegistryOutageWhileReadingPropagates() {
    SerializationException down = new SerializationException("cannot decode",
        new SchemaRegistryUnavailableException("registry down", new IOException("refused")));
    Deserializer<ModelLoadState> failing = (topic, data) -> {
      throw down;
    };
    topicWith(record(0, "m/v1/w1", state("v1", "w1", LoadState.READY)));

    assertThatThrownBy(() -> status(failing).read(consumer)).isSameAs(down);
  }

  private static ModelStatus status(Deserializer<ModelLoadState> decoder) {
    return new ModelStatus(TOPIC, decoder, Duration.ofSeconds(10));
  }

  @SafeVarargs
  private void topicWith(ConsumerRecord<String, byte[]>... records) {
    OnePartitionTopic.fill(consumer, TOPIC, List.of(records));
  }

  private ConsumerRecord<String, byte[]> record(long offset, String key, ModelLoadState state) {
    return new ConsumerRecord<>(TOPIC, 0, offset, key, state == null ? null : encoder.serialize(TOPIC, state));
  }

  private static ModelLoadState state(String version, String worker, LoadState state) {
    return ModelLoadState.newBuilder().setModel("m").setVersion(version).setWorkerId(worker).setState(state).setReason(null)
        .setDeployedAt(Instant.parse("2026-11-26T10:00:00Z")).setDevice(null).setReportedAt(Instant.parse("2026-11-26T10:01:00Z"))
        .build();
  }
}
