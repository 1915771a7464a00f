package dev.sluice.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeRoundTripTest {
  private static final String TOPIC = "sluice.contracts";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  static Stream<Named<SpecificRecord>> contracts() {
    return SampleContracts.all();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  @SuppressWarnings("unchecked")
  void specificRecordSurvivesSerializerAndTypedDeserializer(SpecificRecord record) {
    Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
    try (AvroSerde<SpecificRecord> serde = AvroSerde.specific(type, registry)) {
      byte[] bytes = serde.serializer().serialize(TOPIC, record);

      assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
      assertThat(WireFormat.schemaId(TOPIC, bytes)).isEqualTo(registry.getLatest(TOPIC + "-value").id());
      SpecificRecord back = serde.deserializer().deserialize(TOPIC, bytes);
      assertThat(back).isInstanceOf(type).isEqualTo(record);
    }
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void specificReaderFindsGeneratedClassFromWriterSchemaName(SpecificRecord record) {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(null, registry, AvroSerdeConfig.defaults().withSpecificAvroReader(true));

    Object back = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, record));

    assertThat(back).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void genericRecordSurvivesSerializerAndGenericDeserializer(SpecificRecord record) throws IOException {
    GenericRecord generic = toGeneric(record);
    try (AvroSerde<GenericRecord> serde = AvroSerde.generic(registry)) {
      byte[] bytes = serde.serializer().serialize(TOPIC, generic);
      GenericRecord back = serde.deserializer().deserialize(TOPIC, bytes);

      assertThat(back).isEqualTo(generic);
      assertThat(back.getSchema()).isEqualTo(record.getSchema());
      assertThat(new AvroDeserializer<>(record.getClass(), registry).deserialize(TOPIC, bytes)).isEqualTo(record);
    }
  }

  @Test
  void keySerdeRegistersUnderKeySubjectAndValueSerdeUnderValueSubject() {
    InferenceRequest request = SampleContracts.request(new TextInput("x"));
    AvroSerde<InferenceRequest> keys = new AvroSerde<>(InferenceRequest.class, registry, AvroSerdeConfig.defaults(), true);
    AvroSerde<InferenceRequest> values = AvroSerde.specific(InferenceRequest.class, registry);

    keys.serializer().serialize("sluice.requests", request);
    values.serializer().serialize("sluice.requests", request);

    assertThat(registry.listSubjects()).containsExactly("sluice.requests-key", "sluice.requests-value");
  }

  @Test
  void configureHonoursIsKeyFlag() {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(), true);

    assertThat(serializer.subject("sluice.requests")).isEqualTo("sluice.requests-key");
  }

  @Test
  void primitiveStringKeysRoundTripAsAvroStrings() {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), true);
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(registry);

    byte[] bytes = serializer.serialize("sluice.requests", "request-key-1");

    assertThat(deserializer.deserialize("sluice.requests", bytes)).isEqualTo("request-key-1");
    assertThat(registry.getLatest("sluice.requests-key").schema().getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
  }

  @Test
  void nullValueIsATombstoneBothWays() {
    AvroSerde<InferenceRequest> serde = AvroSerde.specific(InferenceRequest.class, registry);

    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(registry.listSubjects()).isEmpty();
  }

  @Test
  void writerSchemaIsFetchedOncePerIdAcrossRecords() {
    AvroSerde<InferenceRequest> serde = AvroSerde.specific(InferenceRequest.class, registry);
    byte[] bytes = serde.serializer().serialize(TOPIC, SampleContracts.request(new TextInput("a")));

    for (int i = 0; i < 5; i++) {
      serde.deserializer().deserialize(TOPIC, bytes);
    }

    assertThat(registry.getByIdCalls()).isEqualTo(1);
  }

  @Test
  void closingSerdeLeavesInjectedClientOpen() {
    AvroSerde<InferenceRequest> serde = AvroSerde.specific(InferenceRequest.class, registry);

    serde.close();

    assertThat(registry.isClosed()).isFalse();
  }

  @Test
  void olderWriterSchemaIsReadIntoCurrentClassFillingDefaults() {
    Schema current = InferenceRequest.getClassSchema();
    Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
        current.getFields().stream()
            .filter(f -> !f.name().equals("traceparent") && !f.name().equals("attributes"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList());
    GenericRecord old = new GenericData.Record(older);
    old.put("request_id", "r-old");
    old.put("model", "minilm");
    GenericRecord text = new GenericData.Record(TextInput.getClassSchema());
    text.put("text", "from an old producer");
    old.put("input", text);
    byte[] bytes = new AvroSerializer<GenericRecord>(registry).serialize(TOPIC, old);

    InferenceRequest read = new AvroDeserializer<>(InferenceRequest.class, registry).deserialize(TOPIC, bytes);

    assertThat(read.getRequestId()).isEqualTo("r-old");
    assertThat(read.getInput()).isEqualTo(new TextInput("from an old producer"));
    assertThat(read.getTraceparent()).isNull();
    assertThat(read.getAttributes()).isEmpty();
  }

  private static GenericRecord toGeneric(SpecificRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForClass(record.getClass())).write(record, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(record.getSchema()).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
