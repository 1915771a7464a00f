package dev.sluice.platform.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.platform.models.ModelRegistryUpdate.Deployed;
import dev.sluice.platform.models.ModelRegistryUpdate.Ignored;
import dev.sluice.platform.models.ModelRegistryUpdate.Skipped;
import dev.sluice.platform.models.ModelRegistryUpdate.Undeployed;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.topics.ModelKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class ModelRegistryRecordsTest {
  private static final String TOPIC = "sluice.models";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<ModelDeployment> encoder = new AvroSerializer<>(registry);
  private final ModelRegistryRecords records = new ModelRegistryRecords(TOPIC, new AvroDeserializer<>(ModelDeployment.class, registry));

  @Test
  void aDeploymentUnderItsKeyDeploysThatVersion() {
    ModelDeployment v1 = deployment("minilm", "v1");

    ModelRegistryUpdate update = records.decode("minilm/v1", encoder.serialize(TOPIC, v1));

    assertThat(update).isEqualTo(new Deployed(new ModelKey("minilm", "v1"), v1));
    assertThat(((Deployed) update).matchesKey()).isTrue();
  }

  @Test
  void aDeploymentThatNamesAnotherVersionThanItsKeyIsDeployedUnderItsKeyButDoesNotMatchIt() {
    ModelRegistryUpdate update = records.decode("minilm/v1", encoder.serialize(TOPIC, deployment("minilm", "v2")));

    assertThat(update).isInstanceOfSatisfying(Deployed.class, deployed -> {
      assertThat(deployed.key()).isEqualTo(new ModelKey("minilm", "v1"));
      assertThat(deployed.matchesKey()).isFalse();
    });
    assertThat(((Deployed) records.decode("other/v1", encoder.serialize(TOPIC, deployment("minilm", "v1")))).matchesKey()).isFalse();
  }

  @Test
  void aTombstoneUndeploysTheVersionOfItsKey() {
    assertThat(records.decode("minilm/v1", null)).isEqualTo(new Undeployed(new ModelKey("minilm", "v1")));
  }

  @Test
  void aRecordWithoutAKeyIsSkippedAsNoKey() {
    ModelRegistryUpdate update = records.decode(null, encoder.serialize(TOPIC, deployment("minilm", "v1")));

    assertThat(update).isEqualTo(new Skipped(Skipped.Reason.NO_KEY, null, "Invalid model registry key null: expected model/version", null));
    assertThat(records.decode(null, null)).isInstanceOfSatisfying(Skipped.class,
        skipped -> assertThat(skipped.reason()).isEqualTo(Skipped.Reason.NO_KEY));
  }

  @Test
  void aKeyThatIsNotModelSlashVersionIsSkippedAsBadKeyWithWhatIsWrong() {
    byte[] value = encoder.serialize(TOPIC, deployment("minilm", "v1"));

    assertThat(records.decode("not a registry key", value))
        .isEqualTo(new Skipped(Skipped.Reason.BAD_KEY, "not a registry key", "Invalid model registry key not a registry key: expected model/version", null));
    for (String key : List.of("/v1", "minilm/", "minilm/v1/extra", " /v1")) {
      assertThat(records.decode(key, value)).as(key).isInstanceOfSatisfying(Skipped.class, skipped -> {
        assertThat(skipped.reason()).isEqualTo(Skipped.Reason.BAD_KEY);
        assertThat(skipped.key()).isEqualTo(key);
        assertThat(skipped.detail()).startsWith("Invalid model");
      });
    }
    assertThat(records.decode("not a registry key", null)).isInstanceOf(Skipped.class);
  }

  @Test
  void anUndecodableValueIsSkippedWithItsDecodingFailureNamingTheTopic() {
    ModelRegistryUpdate update = records.decode("minilm/v1", "{\"model\":\"minilm\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(update).isInstanceOfSatisfying(Skipped.class, skipped -> {
      assertThat(skipped.reason()).isEqualTo(Skipped.Reason.UNDECODABLE);
      assertThat(skipped.key()).isEqualTo("minilm/v1");
      assertThat(skipped.failure()).isInstanceOf(WireFormatException.class);
      assertThat(skipped.detail()).isEqualTo(skipped.failure().getMessage()).contains("Unknown magic byte", "from topic " + TOPIC);
      assertThat(skipped.detailAt(3, 42)).contains("from topic " + TOPIC + " partition 3 offset 42");
    });
  }

  @Test
  void aValueWithASchemaIdTheRegistryDoesNotKnowIsSkippedAsUndecodable() {
    byte[] unknownId = {0, 0, 0, 0, 99, 2, 'x'};

    assertThat(records.decode("minilm/v1", unknownId)).isInstanceOfSatisfying(Skipped.class, skipped -> {
      assertThat(skipped.reason()).isEqualTo(Skipped.Reason.UNDECODABLE);
      assertThat(skipped.detail()).contains("Unknown schema id 99");
    });
  }

  @Test
  void aDecodingFailureThatIsNotWireFormatIsSkippedWithItsMessageAsItsDetailAnywhere() {
    ModelRegistryRecords plain = new ModelRegistryRecords(TOPIC, failing(new SerializationException("not a deployment")));

    assertThat(plain.decode("minilm/v1", new byte[] {1})).isInstanceOfSatisfying(Skipped.class, skipped -> {
      assertThat(skipped.reason()).isEqualTo(Skipped.Reason.UNDECODABLE);
      assertThat(skipped.detail()).isEqualTo("not a deployment");
      assertThat(skipped.detailAt(0, 7)).isEqualTo("not a deployment");
    });
  }

  @Test
  void aRegistryOutagePropagatesWhetherOrNotTheDeserializerWrapsIt() {
    SchemaRegistryUnavailableException down = new SchemaRegistryUnavailableException("registry down", new IOException("refused"));
    SerializationException wrapped = new SerializationException("cannot fetch the writer schema", new SchemaRegistryServerException("503", 503, 50001));

    assertThatThrownBy(() -> new ModelRegistryRecords(TOPIC, failing(down)).decode("minilm/v1", new byte[] {0})).isSameAs(down);
    assertThatThrownBy(() -> new ModelRegistryRecords(TOPIC, failing(wrapped)).decode("minilm/v1", new byte[] {0})).isSameAs(wrapped);
  }

  @Test
  void aVersionTheReaderDoesNotWantIsIgnoredWithoutDecodingItsValue() {
    ModelRegistryRecords neverDecodes = new ModelRegistryRecords(TOPIC, failing(new IllegalStateException("decoded")));

    assertThat(neverDecodes.decode("other/v1", new byte[] {0}, key -> key.model().equals("minilm")))
        .isEqualTo(new Ignored(new ModelKey("other", "v1")));
    assertThat(neverDecodes.decode("other/v1", null, key -> key.model().equals("minilm"))).isInstanceOf(Ignored.class);
    assertThat(neverDecodes.decode("minilm/v1", null, key -> key.model().equals("minilm"))).isInstanceOf(Undeployed.class);
    assertThat(neverDecodes.decode("no key shape", new byte[] {0}, key -> false)).isInstanceOf(Skipped.class);
  }

  @Test
  void aDeploymentIsWrittenUnderItsModelSlashVersionKeyAndReadsBackAsDeployed() {
    ModelDeployment v2 = deployment("minilm", "v2");

    ProducerRecord<String, byte[]> record = records.recordOf(v2, encoder);

    assertThat(record.topic()).isEqualTo(TOPIC);
    assertThat(record.key()).isEqualTo("minilm/v2").isEqualTo(ModelRegistryRecords.keyOf(v2));
    assertThat(records.decode(record.key(), record.value())).isEqualTo(new Deployed(new ModelKey("minilm", "v2"), v2));
  }

  private static Deserializer<ModelDeployment> failing(RuntimeException failure) {
    return (topic, data) -> {
      throw failure;
    };
  }

  private static ModelDeployment deployment(String model, String version) {
    return new ModelDeployment(model, version, "classpath:models/" + version, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, null, false,
        null, List.of(), List.of(), Map.of(), Instant.parse("2026-11-26T10:00:00Z"), null, List.of());
  }
}
