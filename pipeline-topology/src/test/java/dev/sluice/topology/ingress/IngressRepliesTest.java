package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.topics.Replies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request-reply: a request that names a reply partition has the outcome the ingress writes for it
 * (a dead letter, a cached answer, a dropped retry) copied to {@code <prefix>.replies}; a routed
 * request's reply is the worker's.
 */
class IngressRepliesTest {
  private static final List<Float> VECTOR = List.of(0.6f, 0.8f);

  @TempDir Path stateDir;
  IngressHarness ingress;
  TestOutputTopic<String, byte[]> replies;
  TestOutputTopic<byte[], PreparedRequest> inference;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir, Map.of());
    ingress.deploy(MODEL, "v1", 1.0);
    replies = ingress.driver.createOutputTopic(ingress.topics.replies(), new StringDeserializer(), new ByteArrayDeserializer());
    inference = ingress.inference(MODEL);
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  private static Headers replyTo(int partition) {
    return new RecordHeaders().add(Replies.PARTITION_HEADER, Replies.partitionHeaderValue(partition));
  }

  private void send(InferenceRequest.Builder request, Headers headers) {
    ingress.sendRaw("k".getBytes(StandardCharsets.UTF_8), ingress.encode(request.build()), headers);
  }

  @Test
  void aDeadLetterIsCopiedToTheReplyPartitionAsTheBytesOfTheRejection() {
    send(text("r-1", "hello").setModel("nosuch"), replyTo(0));

    TestRecord<String, byte[]> reply = replies.readRecord();
    assertThat(reply.key()).isEqualTo("r-1");
    assertThat(Replies.kind(reply.headers())).isEqualTo(Replies.REJECTED);
    RejectedRequest rejection = new AvroDeserializer<>(RejectedRequest.class, ingress.registry).deserialize(ingress.topics.replies(),
        reply.value());
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
    assertThat(rejection).isEqualTo(ingress.rejected.readValue());
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void aCachedAnswerIsCopiedAsAResultUnderTheNewRequestId() {
    send(text("r-1", "same text"), new RecordHeaders());
    ingress.answer(inference.readValue(), VECTOR);
    ingress.clock.advance(Duration.ofSeconds(1));
    send(text("r-2", "same text"), replyTo(0));

    TestRecord<String, byte[]> reply = replies.readRecord();
    assertThat(reply.key()).isEqualTo("r-2");
    assertThat(Replies.kind(reply.headers())).isEqualTo(Replies.RESULT);
    InferenceResult result = new AvroDeserializer<>(InferenceResult.class, ingress.registry).deserialize(ingress.topics.replies(),
        reply.value());
    assertThat(result.getRequestId()).isEqualTo("r-2");
    assertThat(result.getCached()).isTrue();
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void aDroppedRetryIsToldAsADuplicateWithoutAValue() {
    send(text("r-1", "once").setIdempotencyKey("idem"), replyTo(0));
    send(text("r-1-retry", "once").setIdempotencyKey("idem"), replyTo(0));

    TestRecord<String, byte[]> reply = replies.readRecord();
    assertThat(reply.key()).isEqualTo("r-1-retry");
    assertThat(Replies.kind(reply.headers())).isEqualTo(Replies.DUPLICATE);
    assertThat(reply.value()).isNull();
    assertThat(replies.isEmpty()).as("the routed original is the worker's to answer").isTrue();
    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1");
  }

  @Test
  void nothingIsCopiedWithoutAHeaderOrForAPartitionTheTopicLacks() {
    send(text("r-1", "x").setModel("nosuch"), new RecordHeaders());
    send(text("r-2", "y").setModel("nosuch"), replyTo(7));
    send(text("r-3", "z").setModel("nosuch"),
        new RecordHeaders().add(Replies.PARTITION_HEADER, "nine".getBytes(StandardCharsets.UTF_8)));

    assertThat(replies.isEmpty()).isTrue();
    assertThat(ingress.rejected.readValuesToList()).hasSize(3);
  }
}
