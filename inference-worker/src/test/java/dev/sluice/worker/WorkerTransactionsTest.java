package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exactly-once: what commits together, what aborts, and what stops the worker. */
class WorkerTransactionsTest {
  private static final TopicPartition P0 = new TopicPartition(WorkerHarness.TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(WorkerHarness.TOPIC, 1);

  @Test
  void commitsResultsMetricEventsAndOffsetsInOneTransactionWithTheGroupMetadata() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    offerFour(harness);
    harness.step();

    assertThat(harness.producer.commitCount()).isEqualTo(1);
    assertThat(harness.producer.transactionAborted()).isFalse();
    assertThat(harness.producer.history()).hasSize(4 + 4 + 1);
    assertThat(harness.producer.consumerGroupOffsetsHistory()).containsExactly(
        Map.of(harness.consumer.groupMetadata().groupId(), Map.of(P0, new OffsetAndMetadata(3), P1, new OffsetAndMetadata(1))));
  }

  @Test
  void emitsAMetricEventPerBatchAndPerRequestOutcome() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, request("r0", "v1", "aa"));
    harness.offer(0, request("r1", "v1", "bbbb"));
    harness.offer(0, PreparedRequest.newBuilder(request("late", "v1", "cc")).setDeadline(WorkerHarness.START).build());
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    List<MetricEvent> events = harness.metricEvents();
    assertThat(events).filteredOn(event -> event.getKind() == MetricKind.BATCH).singleElement().satisfies(batch -> {
      assertThat(batch.getBatchSize()).isEqualTo(2);
      assertThat(batch.getRealTokens()).isEqualTo(6);
      assertThat(batch.getPaddedTokens()).isEqualTo(8);
      assertThat(batch.getInferenceMs()).isEqualTo(2.0);
      assertThat(batch.getQueuedMs()).isEqualTo(50.0);
      assertThat(batch.getModelVersion()).isEqualTo("v1");
      assertThat(batch.getWorkerId()).isEqualTo("worker-1");
      assertThat(batch.getDevice()).isEqualTo("cpu");
      assertThat(batch.getOkCount()).isEqualTo(2);
      assertThat(batch.getErrorCount()).isZero();
      assertThat(batch.getExpiredCount()).isZero();
    });
    assertThat(events).filteredOn(event -> event.getKind() == MetricKind.REQUEST)
        .extracting(MetricEvent::getRequestId, MetricEvent::getStatus)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("r0", Status.OK), org.assertj.core.groups.Tuple.tuple("r1", Status.OK),
            org.assertj.core.groups.Tuple.tuple("late", Status.EXPIRED));
    assertThat(harness.meters.get(WorkerMetrics.RESULTS).tag("status", "OK").counter().count()).isEqualTo(2.0);
    assertThat(harness.meters.get(WorkerMetrics.RESULTS).tag("status", "EXPIRED").counter().count()).isEqualTo(1.0);
    assertThat(harness.meters.get(WorkerMetrics.BATCH_SIZE).summary().totalAmount()).isEqualTo(2.0);
    assertThat(harness.meters.get(WorkerMetrics.PADDING_WASTE).summary().max()).isEqualTo(0.25);
  }

  @Test
  void batchEventCountsItsMembersByStatusWhenOneOfThemFailsInTheModel() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, request("r0", "v1", "aa"));
    harness.offer(0, request("r1", "v1", "a " + FakeRunner.POISON + " text"));
    harness.offer(0, request("r2", "v1", "cc"));
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    assertThat(harness.metricEvents()).filteredOn(event -> event.getKind() == MetricKind.BATCH).singleElement().satisfies(batch -> {
      assertThat(batch.getBatchSize()).isEqualTo(3);
      assertThat(batch.getOkCount()).isEqualTo(2);
      assertThat(batch.getErrorCount()).isEqualTo(1);
      assertThat(batch.getExpiredCount()).isZero();
      assertThat(batch.getDevice()).isEqualTo("cpu");
    });
    assertThat(harness.metricEvents()).filteredOn(event -> event.getKind() == MetricKind.REQUEST)
        .allSatisfy(event -> assertThat(event.getDevice()).isNull());
  }

  @Test
  void retriesACommitThatTimedOutInPlace() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.producer.commitTransactionException = new TimeoutException("the coordinator is slow");
    harness.onSleep(() -> harness.producer.commitTransactionException = null);
    offerFour(harness);
    harness.step();

    assertThat(harness.sleeps).containsExactly(Duration.ofMillis(100));
    assertThat(harness.producer.commitCount()).isEqualTo(1);
    assertThat(harness.producer.transactionAborted()).isFalse();
    assertThat(harness.results()).hasSize(4);
  }

  @Test
  void abortsOnATransientFailureRewindsAndAnswersEachRequestOnce() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.producer.commitTransactionException = new KafkaException("the broker hiccuped");
    List<ConsumerRecord<byte[], byte[]>> records = offerFour(harness);
    harness.step();

    assertThat(harness.producer.transactionAborted()).isTrue();
    assertThat(harness.producer.history()).isEmpty();
    assertThat(harness.consumer.position(P0)).isZero();
    assertThat(harness.consumer.position(P1)).isZero();
    assertThat(harness.sleeps).containsExactly(Duration.ofMillis(100));

    harness.producer.commitTransactionException = null;
    records.forEach(harness.consumer::addRecord);
    harness.step();

    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("r0", "r1", "r2", "r3");
    assertThat(harness.producer.commitCount()).isEqualTo(1);
    assertThat(harness.meters.get(WorkerMetrics.TRANSACTIONS).tag("outcome", "aborted").counter().count()).isEqualTo(1.0);
    assertThat(harness.meters.get(WorkerMetrics.RESULTS).tag("status", "OK").counter().count()).isEqualTo(4.0);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFencedProducerStopsTheWorkerLoudly() {
    WorkerHarness harness = new WorkerHarness();
    harness.deploy("v1");
    harness.registryRead();
    harness.assignOnNextPoll(0, 1);
    harness.consumer.schedulePollTask(() -> offerFour(harness));
    harness.producer.commitTransactionException = new ProducerFencedException("worker-1 started elsewhere");

    harness.worker.run();

    assertThat(harness.worker.failure()).get().isInstanceOf(WorkerFailure.class)
        .extracting(Throwable::getCause).isInstanceOf(ProducerFencedException.class);
    assertThat(harness.worker.isLive()).isFalse();
    assertThat(harness.worker.readiness().ready()).isFalse();
    assertThat(harness.worker.readiness().reason()).startsWith("failed");
    assertThat(harness.producer.closed()).isTrue();
    assertThat(harness.consumer.closed()).isTrue();
    assertThat(harness.producer.history()).isEmpty();
  }

  @Test
  void deadLettersAnUnreadableRecordAndCommitsPastIt() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
    harness.offerRaw(0, "bad-key".getBytes(StandardCharsets.UTF_8), garbage);
    harness.offer(0, request("r1", "v1", "fine"));
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    RejectedRequest rejected = harness.deadLetters().get(0);
    assertThat(rejected.getReason()).isEqualTo(ReasonCode.DESERIALIZATION_FAILED);
    assertThat(rejected.getStage()).isEqualTo(Stage.DECODE);
    assertThat(rejected.getModel()).isEqualTo(WorkerHarness.MODEL);
    assertThat(rejected.getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(rejected.getOriginalKey()).isEqualTo(ByteBuffer.wrap("bad-key".getBytes(StandardCharsets.UTF_8)));
    assertThat(rejected.getSource().getOffset()).isZero();
    assertThat(rejected.getDetail()).contains("magic byte");
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactly("r1");
    assertThat(harness.producer.consumerGroupOffsetsHistory().get(0).values().iterator().next()).containsEntry(P0, new OffsetAndMetadata(2));
    assertThat(harness.meters.get(WorkerMetrics.DEAD_LETTERS).counter().count()).isEqualTo(1.0);
  }

  private static List<ConsumerRecord<byte[], byte[]>> offerFour(WorkerHarness harness) {
    return List.of(
        harness.offer(0, request("r0", "v1", "zero")), harness.offer(0, request("r1", "v1", "one")),
        harness.offer(0, request("r2", "v1", "two")), harness.offer(1, request("r3", "v1", "three")));
  }
}
