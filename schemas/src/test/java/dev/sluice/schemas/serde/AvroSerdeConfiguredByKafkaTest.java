package dev.sluice.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.CannedRegistryServer;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Serdes built the way Kafka builds them: from a class name, then configure(map, isKey), against real HTTP. */
class AvroSerdeConfiguredByKafkaTest {
  private static final String TOPIC = "sluice.requests";

  private CannedRegistryServer server;
  private final InferenceRequest request = SampleContracts.request(new TextInput("hi"));

  @BeforeEach
  void start() throws IOException {
    server = CannedRegistryServer.start();
    server.answer("POST", "/subjects/sluice.requests-value/versions", 200, "{\"id\":21}");
    server.answer("GET", "/schemas/ids/21", 200, new ObjectMapper().writeValueAsString(Map.of("schema", InferenceRequest.getClassSchema().toString())));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void serializerAndDeserializerBuiltFromClassNamesTalkToTheConfiguredRegistry() {
    Serializer<Object> serializer = Utils.newInstance(AvroSerializer.class);
    Deserializer<Object> deserializer = Utils.newInstance(AvroDeserializer.class);
    Map<String, Object> configs = Map.of("schema.registry.url", server.url(), "specific.avro.reader", "true");
    serializer.configure(configs, false);
    deserializer.configure(configs, false);

    byte[] bytes = serializer.serialize(TOPIC, request);
    Object back = deserializer.deserialize(TOPIC, bytes);

    assertThat(WireFormat.schemaId(TOPIC, bytes)).isEqualTo(21);
    assertThat(back).isEqualTo(request);
    assertThat(server.requests()).extracting(CannedRegistryServer.Recorded::path)
        .containsExactly("/subjects/sluice.requests-value/versions", "/schemas/ids/21");
    serializer.close();
    deserializer.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void serdeBuiltFromClassNameSharesOneOwnedClientAndClosesIt() {
    Serde<Object> serde = Utils.newInstance(AvroSerde.class);
    serde.configure(Map.of("schema.registry.url", server.url()), false);

    byte[] bytes = serde.serializer().serialize(TOPIC, request);
    Object generic = serde.deserializer().deserialize(TOPIC, bytes);
    serde.close();

    assertThat(generic).isInstanceOf(org.apache.avro.generic.GenericRecord.class);
    assertThat(((org.apache.avro.generic.GenericRecord) generic).get("model")).hasToString("minilm");
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unconfiguredSerializerSaysHowToSupplyARegistry() {
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>();

    assertThatThrownBy(() -> serializer.serialize(TOPIC, request))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void configureReportsSerdeAndRegistryProblemsTogether() {
    AvroSerde<InferenceRequest> serde = AvroSerde.specific(InferenceRequest.class);

    assertThatThrownBy(() -> serde.configure(Map.of(
            "auto.register.schemas", "maybe",
            "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
            "schema.registry.retries", "-1"), false))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage().lines()).containsExactlyInAnyOrder(
            "Invalid value maybe for configuration auto.register.schemas: Expected value to be either true or false",
            "Invalid value io.confluent.kafka.serializers.subject.RecordNameStrategy for configuration value.subject.name.strategy: only TopicNameStrategy is supported",
            "Missing required configuration \"schema.registry.url\" which has no default value.",
            "Invalid value -1 for configuration schema.registry.retries: must be >= 0"));
  }

  @Test
  void useLatestVersionTogetherWithExplicitAutoRegisterIsAProblem() {
    assertThatThrownBy(() -> AvroSerdeConfig.parse(Map.of("use.latest.version", true, "auto.register.schemas", true)))
        .hasMessage("Invalid value true for configuration auto.register.schemas: must be false when use.latest.version is true");
    AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of("use.latest.version", "true"));
    assertThat(config.useLatestVersion()).isTrue();
    assertThat(config.autoRegisterSchemas()).isFalse();
  }
}
