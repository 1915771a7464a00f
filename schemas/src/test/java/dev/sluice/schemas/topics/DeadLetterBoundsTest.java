package dev.sluice.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterBoundsTest {

  private static RejectedRequest.Builder builder(String text) {
    return RejectedRequest.newBuilder().setRequestId(text).setModel(text).setTenant(text).setReason(ReasonCode.PAYLOAD_TOO_LARGE)
        .setStage(Stage.VALIDATE).setDetail(text).setRejectedAt(Instant.EPOCH).setTraceparent(text);
  }

  @Test
  void deadLetterOfAHugeRecordFitsTheDefaultBudgetAndSaysItIsTruncated() {
    byte[] key = new byte[2_000_000];
    byte[] value = new byte[5_000_000];
    Arrays.fill(value, (byte) 'v');
    String text = "x".repeat(1_500_000);
    Headers headers = new RecordHeaders();
    for (int i = 0; i < 100; i++) {
      headers.add("h" + i, new byte[20_000]);
    }

    RejectedRequest rejected = DeadLetterBounds.bounded(builder(text), key, value);
    byte[] encoded = new AvroSerializer<RejectedRequest>(new InMemorySchemaRegistryClient()).serialize("sluice.requests.rejected", rejected);
    byte[] recordKey = DeadLetterBounds.recordKey(key);
    Headers kept = DeadLetterBounds.headers(headers);

    assertThat(rejected.getOriginalTruncated()).isTrue();
    assertThat(rejected.getOriginalKeySize()).isEqualTo(2_000_000);
    assertThat(rejected.getOriginalValueSize()).isEqualTo(5_000_000);
    assertThat(rejected.getOriginalValue().remaining()).isEqualTo(DeadLetterBounds.MAX_ORIGINAL_VALUE_BYTES);
    assertThat(rejected.getOriginalKey().remaining()).isEqualTo(DeadLetterBounds.MAX_ORIGINAL_KEY_BYTES);
    assertThat(rejected.getDetail()).hasSize(DeadLetterBounds.MAX_DETAIL_CHARS).endsWith("…");
    assertThat(recordKey).isNull();
    assertThat(RecordBudget.headersSize(kept)).isLessThanOrEqualTo(DeadLetterBounds.MAX_HEADER_BYTES);
    assertThat(RecordBudget.sizeBound(recordKey, encoded, kept)).isLessThan(100_000);
    assertThat(new RecordBudget(RecordBudget.DEFAULT_MAX_REQUEST_SIZE).fits(recordKey, encoded, kept)).isTrue();
  }

  @Test
  void deadLetterOfASmallRecordKeepsEverythingUnchanged() {
    byte[] key = "k-1".getBytes(StandardCharsets.UTF_8);
    byte[] value = {0, 0, 0, 0, 1, 2};
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));

    RejectedRequest rejected = DeadLetterBounds.bounded(builder("req-1"), key, value);

    assertThat(rejected.getOriginalTruncated()).isFalse();
    assertThat(rejected.getOriginalValue().array()).isSameAs(value);
    assertThat(rejected.getOriginalKeySize()).isEqualTo(3);
    assertThat(rejected.getRequestId()).isEqualTo("req-1");
    assertThat(DeadLetterBounds.recordKey(key)).isSameAs(key);
    assertThat(DeadLetterBounds.headers(headers)).isSameAs(headers);
  }

  @Test
  void clippingNeverSplitsASurrogatePair() {
    String text = "a".repeat(DeadLetterBounds.MAX_FIELD_CHARS - 2) + "\uD83D\uDE00" + "tail";

    String clipped = DeadLetterBounds.bounded(builder(text), null, null).getRequestId();

    assertThat(clipped).endsWith("a…").hasSizeLessThanOrEqualTo(DeadLetterBounds.MAX_FIELD_CHARS);
  }

  @Test
  void budgetReadsMaxRequestSizeFromProducerOrStreamsProperties() {
    assertThat(RecordBudget.of(Map.of()).maxRecordBytes()).isEqualTo(1_048_576);
    assertThat(RecordBudget.of(Map.of("max.request.size", "2000")).maxRecordBytes()).isEqualTo(2000);
    assertThat(RecordBudget.of(Map.of("max.request.size", "2000", "producer.max.request.size", 3000)).maxRecordBytes()).isEqualTo(3000);
    assertThat(new RecordBudget(1000).fits(null, new byte[900], null)).isFalse();
    assertThat(new RecordBudget(1000).fits(null, new byte[800], null)).isTrue();
  }
}
