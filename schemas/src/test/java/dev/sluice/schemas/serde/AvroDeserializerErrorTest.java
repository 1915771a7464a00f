package dev.sluice.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.WireFormatException.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class AvroDeserializerErrorTest {
  private static final String TOPIC = "sluice.requests";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroDeserializer<InferenceRequest> deserializer = new AvroDeserializer<>(InferenceRequest.class, registry);
  private final AvroSerializer<Object> serializer = new AvroSerializer<>(registry);

  @Test
  void jsonBytesAreRejectedAsUnknownMagicByteNamingTopic() {
    byte[] json = "{\"request_id\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
        .isInstanceOfSatisfying(WireFormatException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_MAGIC_BYTE);
          assertThat(e.topic()).isEqualTo(TOPIC);
          assertThat(e.partition()).isEmpty();
          assertThat(e.offset()).isEmpty();
        })
        .hasMessage("Unknown magic byte 0x7b in record from topic sluice.requests (expected 0x00: not Confluent wire format)");
  }

  @Test
  void wrongMagicByteIsRejectedEvenWithValidLookingRest() {
    byte[] bytes = serializer.serialize(TOPIC, SampleContracts.request(new TextInput("x")));
    bytes[0] = 1;

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_MAGIC_BYTE))
        .hasMessageContaining("Unknown magic byte 0x01");
  }

  @Test
  void truncatedHeaderIsTooShort() {
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0}))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_SHORT))
        .hasMessageStartingWith("Payload of 3 byte(s) is too short in record from topic sluice.requests");
  }

  @Test
  void emptyArrayIsMalformedNotATombstone() {
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_SHORT))
        .hasMessageContaining("Empty payload (0 bytes, not a tombstone)");
  }

  @Test
  void unknownSchemaIdIsReportedWithTheId() {
    byte[] bytes = WireFormat.frame(4242, new byte[] {2, 'a'});

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_SCHEMA_ID))
        .hasMessage("Unknown schema id 4242 in record from topic sluice.requests (the schema registry has no schema with that id)");
  }

  @Test
  void truncatedAvroPayloadIsMalformed() {
    byte[] bytes = serializer.serialize(TOPIC, SampleContracts.request(new TextInput("some text")));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_PAYLOAD))
        .hasMessageStartingWith("Malformed Avro payload for schema id 1 in record from topic sluice.requests");
  }

  @Test
  void garbageAfterValidHeaderIsMalformed() {
    int id = registry.register(TOPIC + "-value", InferenceRequest.getClassSchema());
    byte[] garbage = WireFormat.frame(id, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01});

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, garbage))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_PAYLOAD));
  }

  @Test
  void trailingBytesAfterTheRecordAreMalformed() {
    byte[] bytes = serializer.serialize(TOPIC, SampleContracts.request(new TextInput("x")));
    byte[] padded = Arrays.copyOf(bytes, bytes.length + 2);

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, padded))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_PAYLOAD))
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void recordOfAnotherContractIsReaderIncompatible() {
    byte[] feedback = serializer.serialize("sluice.feedback", Feedback.newBuilder()
        .setRequestId("r").setLabel("l").setObservedAt(SampleContracts.T0).build());

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, feedback))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READER_INCOMPATIBLE))
        .hasMessageContaining("cannot be read as dev.sluice.avro.InferenceRequest");
  }

  @Test
  void specificReaderWithoutGeneratedClassIsReaderIncompatible() {
    Schema unknown = SchemaBuilder.record("Unknown").namespace("com.example.nowhere").fields().requiredString("a").endRecord();
    org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(unknown);
    record.put("a", "x");
    byte[] bytes = serializer.serialize(TOPIC, record);
    AvroDeserializer<Object> specific = new AvroDeserializer<>(null, registry, AvroSerdeConfig.defaults().withSpecificAvroReader(true));

    assertThatThrownBy(() -> specific.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READER_INCOMPATIBLE))
        .hasMessageContaining("No generated class com.example.nowhere.Unknown");
  }

  @Test
  void positionCanBeAttachedLaterKeepingKindAndTopic() {
    WireFormatException bare = new WireFormatException(Kind.UNKNOWN_MAGIC_BYTE, TOPIC, "Unknown magic byte 0x7b", "expected 0x00: not Confluent wire format", null);

    WireFormatException located = bare.withPosition(3, 1234L);

    assertThat(located.kind()).isEqualTo(Kind.UNKNOWN_MAGIC_BYTE);
    assertThat(located.partition()).contains(3);
    assertThat(located.offset()).hasValue(1234L);
    assertThat(located.getStackTrace()).isEqualTo(bare.getStackTrace());
    assertThat(located).hasMessage(
        "Unknown magic byte 0x7b in record from topic sluice.requests partition 3 offset 1234 (expected 0x00: not Confluent wire format)");
  }

  @Test
  void registryOutageIsNotMistakenForBadData() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    try (RestSchemaRegistryClient down = RestSchemaRegistryClient.fromProperties(Map.of(
        SchemaRegistryClientConfig.URL, "http://127.0.0.1:" + deadPort, SchemaRegistryClientConfig.RETRIES, 0))) {
      AvroDeserializer<Object> deserializer = new AvroDeserializer<>(down);

      assertThatThrownBy(() -> deserializer.deserialize(TOPIC, WireFormat.frame(1, new byte[] {2, 'a'})))
          .isInstanceOf(SchemaRegistryUnavailableException.class);
    }
  }

  @Test
  void stringLengthBeyondWhatJavaCanHoldIsMalformed() {
    byte[] bytes = serializer.serialize(TOPIC, SampleContracts.request(new TextInput("x")));
    byte[] corrupt = Arrays.copyOf(bytes, WireFormat.HEADER_SIZE + 6);
    // The first field (request_id) is a string: its zig-zag varint length, here about 2^34.
    corrupt[WireFormat.HEADER_SIZE] = (byte) 0xFE;
    corrupt[WireFormat.HEADER_SIZE + 1] = (byte) 0xFF;
    corrupt[WireFormat.HEADER_SIZE + 2] = (byte) 0xFF;
    corrupt[WireFormat.HEADER_SIZE + 3] = (byte) 0xFF;
    corrupt[WireFormat.HEADER_SIZE + 4] = (byte) 0x7F;

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, corrupt)).isInstanceOf(WireFormatException.class);
  }
}
