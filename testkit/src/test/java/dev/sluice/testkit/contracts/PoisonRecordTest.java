package dev.sluice.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.SampleContracts;
import dev.sluice.schemas.serde.WireFormat;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.serde.WireFormatException.Kind;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RecordDeserializationException.DeserializationExceptionOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records that are not Confluent wire-format Avro, written raw past any serializer: a consumer with
 * {@link AvroDeserializer} reports each as a {@link RecordDeserializationException} carrying a
 * {@link WireFormatException} of the right kind, and can seek past it to the next good record.
 */
@RealKafka(schemaRegistry = true)
@TestInstance(Lifecycle.PER_CLASS)
class PoisonRecordTest {
  private static final InferenceRequest GOOD = SampleContracts.request(new TextInput("hello"));
  /** Far above any id the registry has handed out in this test run. */
  private static final int UNREGISTERED_ID = 999_999;

  private final KafkaCluster kafka;
  private final RestSchemaRegistryClient registry;

  PoisonRecordTest(KafkaCluster kafka) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
  }

  @AfterAll
  void closeTheRegistryClient() {
    registry.close();
  }

  /** Bad bytes, each made from a good record's wire-format bytes, and what they are reported as. */
  enum Poison {
    PLAIN_TEXT(Kind.UNKNOWN_MAGIC_BYTE,
        good -> "{\"request_id\":\"r-1\"}".getBytes(StandardCharsets.UTF_8)),
    WRONG_MAGIC_BYTE(Kind.UNKNOWN_MAGIC_BYTE, good -> {
      byte[] bytes = good.clone();
      bytes[0] = 1;
      return bytes;
    }),
    TRUNCATED_HEADER(Kind.TOO_SHORT, good -> Arrays.copyOf(good, 3)),
    UNKNOWN_SCHEMA_ID(Kind.UNKNOWN_SCHEMA_ID, good -> WireFormat.frame(UNREGISTERED_ID,
        Arrays.copyOfRange(good, WireFormat.HEADER_SIZE, good.length))),
    GARBAGE_PAYLOAD(Kind.MALFORMED_PAYLOAD, good -> WireFormat.frame(
        WireFormat.schemaId("good", good), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));

    private final Kind kind;
    private final UnaryOperator<byte[]> fromGood;

    Poison(Kind kind, UnaryOperator<byte[]> fromGood) {
      this.kind = kind;
      this.fromGood = fromGood;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Poison.class)
  void consumerReportsThePoisonRecordAndReadsTheNextOneOnceItSeeksPast(Poison poison)
      throws Exception {
    ContractTopic topic = ContractTopic.create(kafka,
        "poison." + poison.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    byte[] good = goodBytes(topic);
    topic.sendRaw(List.of(poison.fromGood.apply(good), good));

    try (KafkaConsumer<byte[], InferenceRequest> consumer =
        topic.consumer(new AvroDeserializer<>(InferenceRequest.class, registry))) {
      List<ConsumerRecord<byte[], InferenceRequest>> delivered = new ArrayList<>();
      RecordDeserializationException failure =
          ContractTopic.pollUntilDeserializationFails(consumer, delivered);

      assertThat(delivered).isEmpty();
      assertThat(failure.origin()).isEqualTo(DeserializationExceptionOrigin.VALUE);
      assertThat(failure.topicPartition()).isEqualTo(topic.partition());
      assertThat(failure.offset()).isZero();
      assertThat(failure.getCause()).isInstanceOfSatisfying(WireFormatException.class, cause -> {
        assertThat(cause.kind()).isEqualTo(poison.kind);
        assertThat(cause.topic()).isEqualTo(topic.name());
        assertThat(cause.getMessage()).contains(" in record from topic " + topic.name());
      });
      assertThat(ContractTopic.pollUntilDeserializationFails(consumer, delivered).offset())
          .as("left alone, the consumer stays on the poison record")
          .isZero();

      consumer.seek(failure.topicPartition(), failure.offset() + 1);
      List<RecordDeserializationException> skipped = new ArrayList<>();
      ConsumerRecord<byte[], InferenceRequest> next =
          ContractTopic.readSkippingPoison(consumer, 1, skipped).get(0);

      assertThat(skipped).isEmpty();
      assertThat(next.offset()).isEqualTo(1);
      assertThat(next.value()).isEqualTo(GOOD);
    }
  }

  @Test
  void consumerThatSeeksPastPoisonReadsEveryGoodRecordOfThePartition() throws Exception {
    ContractTopic topic = ContractTopic.create(kafka, "poison.interleaved");
    byte[] good = goodBytes(topic);
    List<byte[]> records = new ArrayList<>();
    for (Poison poison : Poison.values()) {
      records.add(good);
      records.add(poison.fromGood.apply(good));
    }
    records.add(good);
    topic.sendRaw(records);

    List<RecordDeserializationException> skipped = new ArrayList<>();
    List<ConsumerRecord<byte[], InferenceRequest>> delivered;
    try (KafkaConsumer<byte[], InferenceRequest> consumer =
        topic.consumer(new AvroDeserializer<>(InferenceRequest.class, registry))) {
      delivered = ContractTopic.readSkippingPoison(consumer, Poison.values().length + 1, skipped);
    }

    assertThat(delivered).extracting(ConsumerRecord::offset).containsExactly(0L, 2L, 4L, 6L, 8L,
        10L);
    assertThat(delivered).extracting(ConsumerRecord::value).containsOnly(GOOD);
    assertThat(skipped).extracting(RecordDeserializationException::offset)
        .containsExactly(1L, 3L, 5L, 7L, 9L);
    assertThat(skipped).extracting(e -> ((WireFormatException) e.getCause()).kind())
        .containsExactlyElementsOf(Arrays.stream(Poison.values()).map(p -> p.kind).toList());
  }

  /** {@link #GOOD} as an auto-registering serializer writes it to the topic. */
  private byte[] goodBytes(ContractTopic topic) {
    try (AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry)) {
      return serializer.serialize(topic.name(), GOOD);
    }
  }
}
