package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.schemas.topics.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Request-reply: a request that names a reply partition has its outcome copied there, in the same transaction. */
class WorkerRepliesTest {

  private static Headers replyTo(String partition) {
    return new RecordHeaders().add(Replies.PARTITION_HEADER, partition.getBytes(StandardCharsets.UTF_8));
  }

  private static void answer(WorkerHarness harness) {
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();
  }

  @Test
  void copiesTheResultToTheNamedReplyPartitionWithItsBytesKindAndRequestId() {
    WorkerHarness harness = new WorkerHarness();
    harness.replyPartitions(4);
    harness.startServing();
    harness.offer(0, request("r1", "v1", "asked"), replyTo("3"));
    harness.offer(0, request("r2", "v1", "not asked"));
    answer(harness);

    List<ProducerRecord<byte[], byte[]>> replies = harness.sent(WorkerHarness.TOPICS.replies());
    assertThat(replies).singleElement().satisfies(reply -> {
      assertThat(reply.partition()).isEqualTo(3);
      assertThat(new String(reply.key(), StandardCharsets.UTF_8)).isEqualTo("r1");
      assertThat(Replies.kind(reply.headers())).isEqualTo(Replies.RESULT);
      ProducerRecord<byte[], byte[]> result = harness.sent(WorkerHarness.TOPICS.results()).get(0);
      assertThat(reply.value()).isEqualTo(result.value());
    });
    assertThat(harness.results()).hasSize(2);
    assertThat(harness.results().get(0).getInputTokens()).as("the fake model counts a token per character").isEqualTo("asked".length());
    assertThat(harness.producer.commitCount()).isEqualTo(1);
  }

  @Test
  void aPartitionTheTopicLacksOrAMalformedHeaderGetsNoCopyAndTheResultStillLands() {
    WorkerHarness harness = new WorkerHarness();
    harness.replyPartitions(2);
    harness.startServing();
    harness.offer(0, request("beyond", "v1", "a"), replyTo("2"));
    harness.offer(0, request("negative", "v1", "b"), replyTo("-1"));
    harness.offer(0, request("words", "v1", "c"), replyTo("three"));
    harness.offer(0, request("huge", "v1", "d"), replyTo("99999999999999"));
    answer(harness);

    assertThat(harness.sent(WorkerHarness.TOPICS.replies())).isEmpty();
    assertThat(harness.results()).hasSize(4);
    assertThat(harness.producer.transactionAborted()).isFalse();
  }

  @Test
  void aReplyTopicThatGrowsIsLookedUpAgainForAPartitionBeyondTheCountKnown() {
    WorkerHarness harness = new WorkerHarness();
    harness.replyPartitions(1);
    harness.startServing();
    harness.offer(0, request("first", "v1", "a"), replyTo("0"));
    answer(harness);
    harness.replyPartitions(3);
    harness.clock.advance(ReplyPartitions.MIN_LOOKUP_INTERVAL);
    harness.offer(0, request("second", "v1", "b"), replyTo("2"));
    answer(harness);

    assertThat(harness.sent(WorkerHarness.TOPICS.replies())).extracting(ProducerRecord::partition).containsExactly(0, 2);
  }

  @Test
  void aShadowCopyIsNeverRepliedSoTheCallerGetsOnlyThePrimarysOutcome() {
    WorkerHarness harness = new WorkerHarness();
    harness.replyPartitions(2);
    harness.startServing();
    harness.fleet.deployed(WorkerHarness.deployment("v2", "classpath:models/v2", true));
    harness.runLoads();
    harness.offer(0, PreparedRequest.newBuilder(request("s1", "v2", "shadowed")).setShadow(true).build(), replyTo("1"));
    answer(harness);

    assertThat(harness.shadowResults()).hasSize(1);
    assertThat(harness.sent(WorkerHarness.TOPICS.replies())).isEmpty();
  }
}
