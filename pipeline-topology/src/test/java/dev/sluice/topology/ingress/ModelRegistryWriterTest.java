package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry store's writer on its own: what each record of {@code <prefix>.models} does to the store. */
class ModelRegistryWriterTest {
  private static final String TOPIC = "sluice.models";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<ModelDeployment> encoder = new AvroSerializer<>(registry);
  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
  private KeyValueStore<String, byte[]> store;

  @BeforeEach
  void registryStore() {
    store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IngressStores.MODELS), Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }

  @Test
  void foldsEachVersionsDeploymentIntoItsModelsValueAndATombstoneRemovesIt() {
    ModelRegistryWriter writer = writer(new AvroDeserializer<>(ModelDeployment.class, registry));
    byte[] v1 = deployment("minilm", "v1");
    byte[] v2 = deployment("minilm", "v2");

    writer.process(record("minilm/v1", v1));
    writer.process(record("minilm/v2", v2));
    writer.process(record("minilm/v1", null));

    assertThat(ModelVersions.decode(store.get("minilm"))).containsOnlyKeys("minilm/v2").containsEntry("minilm/v2", v2);
    writer.process(record("minilm/v2", null));
    assertThat(store.get("minilm")).isNull();
  }

  @Test
  void skipsARecordWithoutAKeyOrWithAKeyThatIsNotModelSlashVersion() {
    ModelRegistryWriter writer = writer(new AvroDeserializer<>(ModelDeployment.class, registry));
    byte[] v1 = deployment("minilm", "v1");
    writer.process(record("minilm/v1", v1));

    writer.process(record(null, deployment("minilm", "v2")));
    writer.process(record("minilm", deployment("minilm", "v2")));
    writer.process(record("/v1", null));
    writer.process(record("minilm/v1/x", null));

    assertThat(store.all()).toIterable().hasSize(1);
    assertThat(ModelVersions.decode(store.get("minilm"))).containsOnlyKeys("minilm/v1");
  }

  @Test
  void anUndecodableDeploymentIsSkippedAndTheVersionKeepsItsPreviousOne() {
    ModelRegistryWriter writer = writer(new AvroDeserializer<>(ModelDeployment.class, registry));
    byte[] v1 = deployment("minilm", "v1");
    writer.process(record("minilm/v1", v1));

    writer.process(record("minilm/v1", "garbage".getBytes(StandardCharsets.UTF_8)));
    writer.process(record("minilm/v2", new byte[] {0, 0, 0, 0, 99, 2}));

    assertThat(ModelVersions.decode(store.get("minilm"))).containsOnlyKeys("minilm/v1").containsEntry("minilm/v1", v1);
  }

  @Test
  void anyDecodingFailureThatIsBadDataIsSkipped() {
    ModelRegistryWriter writer = writer(failing(new SerializationException("not a deployment")));

    writer.process(record("minilm/v1", new byte[] {1}));

    assertThat(store.get("minilm")).isNull();
  }

  @Test
  void aDeploymentIsStoredUnderItsRecordsKeyWhateverVersionItNames() {
    ModelRegistryWriter writer = writer(new AvroDeserializer<>(ModelDeployment.class, registry));
    byte[] v2 = deployment("minilm", "v2");

    writer.process(record("minilm/v1", v2));

    assertThat(ModelVersions.decode(store.get("minilm"))).containsOnlyKeys("minilm/v1").containsEntry("minilm/v1", v2);
  }

  @Test
  void aRegistryOutagePropagatesWhetherOrNotTheDeserializerWrapsIt() {
    SchemaRegistryUnavailableException down = new SchemaRegistryUnavailableException("registry down", new IOException("refused"));
    SerializationException wrapped = new SerializationException("cannot fetch the writer schema", new SchemaRegistryServerException("503", 503, 50001));

    assertThatThrownBy(() -> writer(failing(down)).process(record("minilm/v1", new byte[] {0}))).isSameAs(down);
    assertThatThrownBy(() -> writer(failing(wrapped)).process(record("minilm/v1", new byte[] {0}))).isSameAs(wrapped);
    assertThat(store.get("minilm")).isNull();
  }

  private ModelRegistryWriter writer(Deserializer<ModelDeployment> decoder) {
    ModelRegistryWriter writer = new ModelRegistryWriter(TOPIC, decoder);
    writer.init(context);
    return writer;
  }

  private static Record<String, byte[]> record(String key, byte[] value) {
    return new Record<>(key, value, 0L);
  }

  private byte[] deployment(String model, String version) {
    return encoder.serialize(TOPIC, IngressHarness.deployment(model, version, 1.0).build());
  }

  private static Deserializer<ModelDeployment> failing(RuntimeException failure) {
    return (topic, data) -> {
      throw failure;
    };
  }
}
