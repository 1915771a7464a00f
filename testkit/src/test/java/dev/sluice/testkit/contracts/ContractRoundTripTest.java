package dev.sluice.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerdeConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.WireFormat;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Avro contract, and every union branch of their inputs and outputs, through a real broker
 * and the embedded schema registry: written by a producer that registers its schema, read back by
 * consumers as the generated class, as a generic record and as raw bytes.
 */
@RealKafka(schemaRegistry = true)
@TestInstance(Lifecycle.PER_CLASS)
class ContractRoundTripTest {
  private final RestSchemaRegistryClient registry;

  ContractRoundTripTest(KafkaCluster kafka) {
    registry = new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
  }

  @AfterAll
  void closeTheRegistryClient() {
    registry.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.sluice.schemas.serde.SampleContracts#all")
  void roundTripsThroughTheBrokerUnderTheSchemaIdItRegistered(SpecificRecord sample,
      KafkaCluster kafka, TestInfo test) throws Exception {
    ContractTopic topic = ContractTopic.create(kafka, topicName(test));

    topic.send(new AvroSerializer<SpecificRecord>(registry), List.of(sample));

    AvroDeserializer<SpecificRecord> specific = new AvroDeserializer<>(null, registry,
        AvroSerdeConfig.defaults().withSpecificAvroReader(true));
    assertThat(topic.read(specific, 1).get(0).value())
        .isInstanceOf(sample.getClass())
        .isEqualTo(sample);

    GenericRecord generic = topic.read(new AvroDeserializer<GenericRecord>(registry), 1)
        .get(0).value();
    Schema.Field first = sample.getSchema().getFields().get(0);
    assertThat(generic.getSchema().getFullName()).isEqualTo(sample.getSchema().getFullName());
    assertThat(String.valueOf(generic.get(first.name())))
        .isEqualTo(String.valueOf(sample.get(first.pos())));

    byte[] bytes = topic.read(new ByteArrayDeserializer(), 1).get(0).value();
    String subject = topic.name() + "-value";
    RegisteredSchema registered = registry.getLatest(subject);
    assertThat(registry.listSubjects()).contains(subject);
    assertThat(registry.listVersions(subject)).containsExactly(1);
    assertThat(WireFormat.schemaId(topic.name(), bytes)).isEqualTo(registered.id());
    assertThat(registered.schema()).isEqualTo(sample.getSchema());
  }

  /** A topic per sample, named after it: {@code roundtrip.inferenceresult-with-tensor}. */
  private static String topicName(TestInfo test) {
    return "roundtrip." + test.getDisplayName().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
