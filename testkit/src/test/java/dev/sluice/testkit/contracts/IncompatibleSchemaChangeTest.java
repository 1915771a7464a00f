package dev.sluice.testkit.contracts;

import static dev.sluice.testkit.contracts.EvolvedSchemas.optionalString;
import static dev.sluice.testkit.contracts.EvolvedSchemas.requiredInt;
import static dev.sluice.testkit.contracts.EvolvedSchemas.withField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.CompatibilityLevel;
import dev.sluice.schemas.registry.IncompatibleSchemaException;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.SampleContracts;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * The embedded registry guards InferenceRequest's evolution at its default level, BACKWARD: a
 * change older records cannot be read with is refused with HTTP 409, by the client and by an
 * auto-registering serializer alike; a change with a default becomes a new version.
 */
@RealKafka(schemaRegistry = true)
@TestInstance(Lifecycle.PER_CLASS)
class IncompatibleSchemaChangeTest {
  private static final Schema V1 = InferenceRequest.getClassSchema();
  private static final Schema REQUIRED_PRIORITY = withField(V1, requiredInt("priority"));
  private static final Schema OPTIONAL_CHANNEL = withField(V1, optionalString("channel"));

  private final KafkaCluster kafka;
  private final RestSchemaRegistryClient registry;

  IncompatibleSchemaChangeTest(KafkaCluster kafka) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
  }

  @AfterAll
  void closeTheRegistryClient() {
    registry.close();
  }

  @Test
  void refusesARequiredFieldWithoutDefaultWith409() {
    String subject = "evolution.required-value";
    int v1 = registry.register(subject, V1);

    assertThat(registry.getEffectiveConfig(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThatThrownBy(() -> registry.register(subject, REQUIRED_PRIORITY))
        .isInstanceOfSatisfying(IncompatibleSchemaException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(409));
    assertThat(registry.listVersions(subject)).containsExactly(1);
    assertThat(registry.getLatest(subject).id()).isEqualTo(v1);
  }

  @Test
  void acceptsAnOptionalFieldWithDefaultAsANewVersionWithANewId() {
    String subject = "evolution.optional-value";
    int v1 = registry.register(subject, V1);

    int v2 = registry.register(subject, OPTIONAL_CHANNEL);

    assertThat(v2).isNotEqualTo(v1);
    assertThat(registry.listVersions(subject)).containsExactly(1, 2);
    assertThat(registry.getLatest(subject).version()).isEqualTo(2);
    assertThat(registry.getLatest(subject).id()).isEqualTo(v2);
    assertThat(registry.getById(v2)).isEqualTo(OPTIONAL_CHANNEL);
  }

  @Test
  void autoRegisteringSerializerFailsLoudlyOnAnIncompatibleRecord() throws Exception {
    ContractTopic topic = ContractTopic.create(kafka, "evolution.serializer");
    registry.register(topic.name() + "-value", V1);
    GenericRecord incompatible = EvolvedSchemas.extend(
        SampleContracts.request(new TextInput("hello")), REQUIRED_PRIORITY, 7);
    assertThat(GenericData.get().validate(REQUIRED_PRIORITY, incompatible)).isTrue();

    assertThatThrownBy(() -> topic.send(new AvroSerializer<GenericRecord>(registry),
        List.of(incompatible)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("evolution.serializer-value")
        .cause()
        .isInstanceOfSatisfying(IncompatibleSchemaException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(409));

    assertThat(topic.endOffset()).as("records written to " + topic.name()).isZero();
    assertThat(registry.listVersions(topic.name() + "-value")).containsExactly(1);
  }
}
