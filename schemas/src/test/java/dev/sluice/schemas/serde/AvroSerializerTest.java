package dev.sluice.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.IncompatibleSchemaException;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerializerTest {
  private static final String TOPIC = "sluice.requests";
  private static final String SUBJECT = TOPIC + "-value";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final InferenceRequest request = SampleContracts.request(new TextInput("hello"));

  @Test
  void autoRegistrationOffFailsClearlyWhenSchemaIsNotRegistered() {
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withAutoRegisterSchemas(false), false);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, request))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Schema dev.sluice.avro.InferenceRequest is not registered under subject sluice.requests-value and auto.register.schemas is false")
        .hasCauseInstanceOf(SchemaRegistryNotFoundException.class);
    assertThat(registry.listSubjects()).isEmpty();
  }

  @Test
  void autoRegistrationOffWritesTheIdOfTheRegisteredSchema() {
    int id = registry.register(SUBJECT, InferenceRequest.getClassSchema());
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withAutoRegisterSchemas(false), false);

    byte[] bytes = serializer.serialize(TOPIC, request);

    assertThat(WireFormat.schemaId(TOPIC, bytes)).isEqualTo(id);
    assertThat(registry.listVersions(SUBJECT)).containsExactly(1);
  }

  @Test
  void refusedRegistrationIsASerializationExceptionCarryingTheRegistryError() {
    registry.register(SUBJECT, InferenceResult.getClassSchema());
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, request))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Cannot register schema dev.sluice.avro.InferenceRequest under subject sluice.requests-value")
        .hasCauseInstanceOf(IncompatibleSchemaException.class);
  }

  @Test
  void useLatestVersionWritesWithTheLatestRegisteredSchema() {
    registry.register(SUBJECT, InferenceRequest.getClassSchema());
    Schema evolved = withExtraField(InferenceRequest.getClassSchema(), "priority", Schema.create(Schema.Type.INT), 5);
    int latestId = registry.register(SUBJECT, evolved);
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withUseLatestVersion(), false);

    byte[] bytes = serializer.serialize(TOPIC, request);

    assertThat(WireFormat.schemaId(TOPIC, bytes)).isEqualTo(latestId);
    GenericRecord generic = new AvroDeserializer<GenericRecord>(registry).deserialize(TOPIC, bytes);
    assertThat(generic.getSchema()).isEqualTo(evolved);
    assertThat(generic.get("priority")).isEqualTo(5);
    assertThat(generic.get("request_id")).hasToString("r-1");
    assertThat(new AvroDeserializer<>(InferenceRequest.class, registry).deserialize(TOPIC, bytes)).isEqualTo(request);
    assertThat(registry.listVersions(SUBJECT)).containsExactly(1, 2);
  }

  @Test
  void useLatestVersionWithIdenticalSchemaWritesItsId() {
    int id = registry.register(SUBJECT, InferenceRequest.getClassSchema());
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withUseLatestVersion(), false);

    assertThat(WireFormat.schemaId(TOPIC, serializer.serialize(TOPIC, request))).isEqualTo(id);
  }

  @Test
  void useLatestVersionRefusesARecordTheLatestSchemaCannotRead() {
    registry.putSubjectConfig(SUBJECT, dev.sluice.schemas.registry.CompatibilityLevel.NONE);
    registry.register(SUBJECT, withExtraField(InferenceRequest.getClassSchema(), "priority", Schema.create(Schema.Type.INT), null));
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withUseLatestVersion(), false);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, request))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("with the latest schema of subject sluice.requests-value (id 1, version 1), which cannot read it")
        .hasMessageContaining("priority");
  }

  @Test
  void useLatestVersionWithoutAnyVersionFailsClearly() {
    AvroSerializer<Feedback> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withUseLatestVersion(), false);
    Feedback feedback = Feedback.newBuilder().setRequestId("r").setLabel("l").setObservedAt(SampleContracts.T0).build();

    assertThatThrownBy(() -> serializer.serialize("sluice.feedback", feedback))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("subject sluice.feedback-value has no registered version");
  }

  @Test
  void recordMissingARequiredFieldIsASerializationException() {
    InferenceRequest broken = SampleContracts.request(new TextInput("x"));
    broken.setRequestId(null);

    assertThatThrownBy(() -> new AvroSerializer<InferenceRequest>(registry).serialize(TOPIC, broken))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot serialize dev.sluice.avro.InferenceRequest for topic sluice.requests");
  }

  @Test
  void nonAvroObjectIsRefused() {
    assertThatThrownBy(() -> new AvroSerializer<Object>(registry).serialize(TOPIC, new Object()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot serialize a java.lang.Object as Avro");
  }

  private static Schema withExtraField(Schema base, String name, Schema type, Object defaultValue) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : base.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(defaultValue == null ? new Schema.Field(name, type, null, (Object) null) : new Schema.Field(name, type, null, defaultValue));
    Schema evolved = Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    base.getObjectProps().forEach(evolved::addProp);
    return evolved;
  }
}
