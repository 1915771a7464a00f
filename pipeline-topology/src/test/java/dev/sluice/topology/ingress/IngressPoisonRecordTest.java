package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.TensorInput;
import dev.sluice.schemas.topics.DeadLetterBounds;
import dev.sluice.schemas.topics.RecordBudget;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that once stopped the ingress: each ends as one dead letter that fits, and the next request goes on. */
class IngressPoisonRecordTest {
  @TempDir Path stateDir;

  @Test
  void textOverOneMebibyteIsRejectedWithADeadLetterThatFits() {
    try (IngressHarness ingress = new IngressHarness(stateDir)) {
      ingress.deploy(MODEL, "v1", 1.0);
      ingress.send("big", text("big", "word ".repeat(300_000)));
      ingress.send("next", text("next", "hello"));

      TestRecord<byte[], RejectedRequest> dead = ingress.rejected.readRecord();
      RejectedRequest rejection = dead.value();
      assertThat(rejection.getReason()).isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE);
      assertThat(rejection.getOriginalTruncated()).isTrue();
      assertThat(rejection.getOriginalValueSize()).isGreaterThan(1_500_000);
      assertThat(rejection.getOriginalValue().remaining()).isEqualTo(DeadLetterBounds.MAX_ORIGINAL_VALUE_BYTES);
      assertThat(rejection.getRequestId()).isEqualTo("big");
      byte[] encoded = new ByteArraySerializer().serialize("t", new dev.sluice.schemas.serde.AvroSerializer<RejectedRequest>(ingress.registry)
          .serialize(ingress.topics.rejected(), rejection));
      assertThat(new RecordBudget(RecordBudget.DEFAULT_MAX_REQUEST_SIZE).fits(dead.key(), encoded, dead.headers())).isTrue();
      assertThat(ingress.inference(MODEL).readValuesToList()).extracting(r -> r.getRequestId()).containsExactly("next");
    }
  }

  @Test
  void preparedRequestOverMaxRequestSizeIsRejectedBeforeItCanAbortTheTransaction() {
    try (IngressHarness ingress = new IngressHarness(stateDir, Map.of("max.request.size", "20000",
        "ingress.max.payload.bytes", "10000000", "ingress.cache.ttl.ms", "0"))) {
      ingress.deploy(MODEL, "v1", 1.0);
      List<Float> values = new ArrayList<>(Collections.nCopies(10_000, 0.5f));
      ingress.send("tensor", InferenceRequest.newBuilder().setRequestId("tensor").setModel(MODEL)
          .setInput(new TensorInput(List.of(10_000), values)).setCreatedAt(IngressHarness.T0).setIdempotencyKey("idem-1"));
      ingress.send("next", text("next", "hello"));

      RejectedRequest rejection = ingress.rejected.readValue();
      assertThat(rejection.getReason()).isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE);
      assertThat(rejection.getStage()).isEqualTo(Stage.ROUTE);
      assertThat(rejection.getDetail()).contains("the prepared request", "max.request.size is 20000 bytes");
      assertThat(ingress.inference(MODEL).readValuesToList()).extracting(r -> r.getRequestId()).containsExactly("next");
      assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isZero();
    }
  }

  @Test
  void timestampsFarFromNowAreRejectedAsInvalidTimestamp() {
    try (IngressHarness ingress = new IngressHarness(stateDir)) {
      ingress.deploy(MODEL, "v1", 1.0);
      ingress.send("future", text("future", "hello").setCreatedAt(Instant.ofEpochMilli(8_640_000_000_000_000L)));
      ingress.send("past", text("past", "hello").setCreatedAt(Instant.ofEpochMilli(-8_640_000_000_000_000L)));
      ingress.send("deadline", text("deadline", "hello").setDeadline(Instant.ofEpochMilli(8_640_000_000_000_000L)));
      ingress.send("next", text("next", "hello"));

      assertThat(ingress.rejected.readValuesToList()).extracting(RejectedRequest::getRequestId, RejectedRequest::getReason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("future", ReasonCode.INVALID_TIMESTAMP),
              org.assertj.core.groups.Tuple.tuple("past", ReasonCode.INVALID_TIMESTAMP),
              org.assertj.core.groups.Tuple.tuple("deadline", ReasonCode.INVALID_TIMESTAMP));
      assertThat(ingress.inference(MODEL).readValuesToList()).extracting(r -> r.getRequestId()).containsExactly("next");
    }
  }

  @Test
  void recordTimestampOutsideTheRangeDoesNotBecomeCreatedAt() {
    try (IngressHarness ingress = new IngressHarness(stateDir)) {
      ingress.deploy(MODEL, "v1", 1.0);
      byte[] value = ingress.encode(text("stamped", "hello").setCreatedAt(null).build());
      ingress.requests.pipeInput(new TestRecord<>(utf8("stamped"), value, new RecordHeaders(), Instant.ofEpochMilli(1)));

      assertThat(ingress.inference(MODEL).readValue().getCreatedAt()).isEqualTo(ingress.clock.instant());
    }
  }

  @Test
  void hugeHeadersAndKeyAreBoundedOnTheDeadLetterRecord() {
    try (IngressHarness ingress = new IngressHarness(stateDir)) {
      ingress.deploy(MODEL, "v1", 1.0);
      RecordHeaders headers = new RecordHeaders();
      headers.add("traceparent", utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
      for (int i = 0; i < 60; i++) {
        headers.add("junk-" + i, new byte[16_000]);
      }
      ingress.sendRaw(new byte[100_000], new byte[] {9, 9, 9}, headers);

      TestRecord<byte[], RejectedRequest> dead = ingress.rejected.readRecord();
      assertThat(dead.value().getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
      assertThat(dead.key()).isNull();
      assertThat(dead.value().getOriginalKeySize()).isEqualTo(100_000);
      assertThat(RecordBudget.headersSize(dead.headers())).isLessThanOrEqualTo(DeadLetterBounds.MAX_HEADER_BYTES);
      assertThat(dead.headers().lastHeader("traceparent")).isNotNull();
    }
  }

  @Test
  void recordWithoutATimestampIsRoutedOnPartitionTime() {
    try (IngressHarness ingress = new IngressHarness(stateDir)) {
      ingress.deploy(MODEL, "v1", 1.0);
      ingress.requests.pipeInput(new TestRecord<>(utf8("untimed"), ingress.encode(text("untimed", "hello").build()), new RecordHeaders(),
          Instant.ofEpochMilli(-1)));
      ingress.send("next", text("next", "hello"));

      assertThat(ingress.inference(MODEL).readValuesToList()).extracting(r -> r.getRequestId()).containsExactly("untimed", "next");
    }
  }
}
