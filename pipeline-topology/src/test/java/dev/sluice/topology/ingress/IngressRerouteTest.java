package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.SourcePosition;
import dev.sluice.avro.Stage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With three request partitions, the test driver's single task plays partition 0: a request whose
 * idempotency key hashes elsewhere is passed on through {@code <prefix>.requests.rerouted} (the
 * driver feeds that source topic back into the task, as the owner's task would read it) and ends
 * there as its one outcome, with the original's position as its source.
 */
class IngressRerouteTest {
  private static final int PARTITIONS = 3;

  @TempDir Path stateDir;
  IngressHarness ingress;
  TestOutputTopic<byte[], PreparedRequest> inference;
  TestOutputTopic<byte[], byte[]> rerouted;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir, Map.of(IngressConfig.REQUEST_PARTITIONS, Integer.toString(PARTITIONS)));
    inference = ingress.inference(MODEL);
    rerouted = ingress.driver.createOutputTopic(ingress.topics.reroutedRequests(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    ingress.deploy(MODEL, "v1", 1.0);
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void aRequestWhoseIdempotencyKeyHashesElsewhereIsPassedOnAsItsOriginalBytesAndRoutedOnce() {
    String key = keyOwnedBy(2);
    InferenceRequest request = text("r-1", "hello").setIdempotencyKey(key).build();
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    ingress.sendRaw(utf8("r-1"), ingress.encode(request), headers);

    TestRecord<byte[], byte[]> passed = rerouted.readRecord();
    assertThat(passed.key()).isEqualTo(utf8("r-1"));
    assertThat(passed.value()).isEqualTo(ingress.encode(request));
    assertThat(passed.headers().lastHeader(KeyOwnership.ORIGIN_HEADER).value()).isEqualTo(utf8("0/0"));
    assertThat(rerouted.isEmpty()).isTrue();

    List<TestRecord<byte[], PreparedRequest>> routed = inference.readRecordsToList();
    assertThat(routed).hasSize(1);
    assertThat(routed.get(0).key()).isEqualTo(utf8("r-1"));
    assertThat(routed.get(0).value().getSource()).isEqualTo(new SourcePosition(ingress.topics.requests(), 0, 0L));
    assertThat(routed.get(0).headers().lastHeader(KeyOwnership.ORIGIN_HEADER)).as("the detour's header stays on the detour").isNull();
    assertThat(routed.get(0).headers().lastHeader("traceparent")).isNotNull();
    assertThat(ingress.count(IngressMetrics.REROUTED)).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", "DECODE")).as("decoded by the owner only").isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_OUT, "stage", "DECODE")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", "ROUTE")).isEqualTo(1.0);
  }

  @Test
  void retriesOfOneIdempotencyKeyAreDroppedHoweverTheyAreKeyed() {
    String key = keyOwnedBy(1);
    ingress.send(key, text("r-1", "hello").setIdempotencyKey(key));
    ingress.send("r-2", text("r-2", "hello").setIdempotencyKey(key));
    ingress.send("r-3", text("r-3", "hello").setIdempotencyKey(key));
    ingress.send(key, text("r-4", "hello").setIdempotencyKey(key));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1");
    assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isEqualTo(3.0);
  }

  @Test
  void aRequestAtItsOwnersPartitionOrWithoutAnIdempotencyKeyTakesNoDetour() {
    ingress.send("r-1", text("r-1", "owned here").setIdempotencyKey(keyOwnedBy(0)));
    ingress.send("r-2", text("r-2", "no key"));
    ingress.send("r-3", text("r-3", "blank key").setIdempotencyKey(" "));

    assertThat(rerouted.isEmpty()).isTrue();
    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1", "r-2", "r-3");
    assertThat(ingress.count(IngressMetrics.REROUTED)).isZero();
  }

  @Test
  void anInvalidReroutedRequestIsDeadLetteredOnceWithTheOriginalsPosition() {
    ingress.send("r-0", text("r-0", "first"));
    ingress.send("r-1", text("r-1", " \t ").setIdempotencyKey(keyOwnedBy(1)));

    List<RejectedRequest> rejections = ingress.rejected.readValuesToList();
    assertThat(rejections).hasSize(1);
    assertThat(rejections.get(0).getReason()).isEqualTo(ReasonCode.INVALID_TEXT);
    assertThat(rejections.get(0).getStage()).isEqualTo(Stage.NORMALIZE);
    assertThat(rejections.get(0).getSource()).isEqualTo(new SourcePosition(ingress.topics.requests(), 0, 1L));
  }

  @Test
  void aWriterWhoseFieldsComeInAnotherOrderIsDecodedInFullAndStillPassedOnOnce() throws Exception {
    Schema contract = InferenceRequest.getClassSchema();
    List<Schema.Field> reordered = new java.util.ArrayList<>();
    for (Schema.Field field : contract.getFields()) {
      reordered.add(field.name().equals("idempotency_key") ? 0 : reordered.size(), new Schema.Field(field, field.schema()));
    }
    Schema writer = Schema.createRecord(contract.getName(), contract.getDoc(), contract.getNamespace(), false, reordered);
    int id = ingress.registry.register(ingress.topics.requests() + "-value", writer);
    GenericData.Record request = new GenericData.Record(writer);
    InferenceRequest typed = text("r-1", "written by another layout").setIdempotencyKey(keyOwnedBy(1)).build();
    for (Schema.Field field : contract.getFields()) {
      request.put(field.name(), typed.get(field.name()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    new GenericDatumWriter<GenericData.Record>(writer, model).write(request, encoder);
    encoder.flush();
    ingress.sendRaw(utf8("r-1"), WireFormat.frame(id, out.toByteArray()), new RecordHeaders());

    assertThat(rerouted.readRecord().headers().lastHeader(KeyOwnership.ORIGIN_HEADER).value()).isEqualTo(utf8("0/0/decoded"));
    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1");
    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", "DECODE")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_OUT, "stage", "DECODE")).isEqualTo(1.0);
  }

  @Test
  void aRecordTooLargeToBeWrittenAgainIsRefusedWhereItArrivedNotPassedOn() {
    ingress.send("r-1", text("r-1", "word ".repeat(230_000)).setIdempotencyKey(keyOwnedBy(2)));

    assertThat(rerouted.isEmpty()).as("a second write of it would fail and abort the transaction").isTrue();
    RejectedRequest rejection = ingress.rejected.readValue();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE);
    assertThat(rejection.getStage()).as("refused before anything here could remember its key").isEqualTo(Stage.ROUTE);
    assertThat(rejection.getDetail()).contains("cannot be passed to the task that owns its idempotency key");
    assertThat(rejection.getSource()).isEqualTo(new SourcePosition(ingress.topics.requests(), 0, 0L));
  }

  @Test
  void aProducersOwnOriginHeaderNeverReachesAnOutput() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(KeyOwnership.ORIGIN_HEADER, utf8("7/7/decoded"));
    ingress.sendRaw(utf8("r-1"), ingress.encode(text("r-1", "forged").setIdempotencyKey(keyOwnedBy(0)).build()), headers);

    TestRecord<byte[], PreparedRequest> routed = inference.readRecord();
    assertThat(routed.headers().lastHeader(KeyOwnership.ORIGIN_HEADER)).isNull();
    assertThat(routed.value().getSource()).isEqualTo(new SourcePosition(ingress.topics.requests(), 0, 0L));
  }

  @Test
  void ownershipIsKafkasDefaultPartitioningOfTheIdempotencyKey() {
    for (String key : List.of("a", "idem-1", "order-42", "ключ", "\uD83D\uDE00")) {
      assertThat(KeyOwnership.ownerOf(key, 12)).as(key)
          .isEqualTo(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(utf8(key), 12));
    }
  }

  /** An idempotency key that hashes to the given partition of three. */
  private static String keyOwnedBy(int partition) {
    return IntStream.range(0, 1000).mapToObj(i -> "idem-" + i).filter(k -> KeyOwnership.ownerOf(k, PARTITIONS) == partition)
        .findFirst().orElseThrow();
  }
}
