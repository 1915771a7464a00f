package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With the inference thread: flush n+1 runs in the model while flush n commits, and an abort rewinds both. */
@Timeout(30)
class WorkerPipeliningTest {
  private static final TopicPartition P0 = new TopicPartition(WorkerHarness.TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(WorkerHarness.TOPIC, 1);

  private final WorkerHarness harness = new WorkerHarness(Map.of(), true);
  private final Semaphore permits = new Semaphore(0);
  private FakeRunner runner;

  private void startGated() {
    harness.startServing();
    runner = harness.loader.last();
    runner.gate(permits);
  }

  @AfterEach
  void stop() {
    permits.release(1000);
    harness.worker.close(Duration.ofSeconds(5));
  }

  @Test
  void theNextFlushRunsInTheModelWhileTheAnsweredOneCommits() {
    startGated();
    offer(0, "a", 4);
    harness.step();
    stepUntil(() -> runner.calls().size() == 1);
    offer(1, "b", 4);
    harness.step();
    assertThat(harness.producer.commitCount()).as("nothing commits while the first flush is in the model").isZero();

    permits.release();
    stepUntil(() -> harness.producer.commitCount() == 1);
    stepUntil(() -> runner.calls().size() == 2);
    assertThat(harness.producer.commitCount()).as("the second flush is in the model, uncommitted").isEqualTo(1);
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("a0", "a1", "a2", "a3");
    assertThat(harness.producer.consumerGroupOffsetsHistory().get(0).values().iterator().next())
        .containsExactly(Map.entry(P0, new OffsetAndMetadata(4)));

    permits.release();
    stepUntil(() -> harness.producer.commitCount() == 2);
    assertThat(harness.results()).extracting(InferenceResult::getRequestId)
        .containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3");
    assertThat(harness.producer.consumerGroupOffsetsHistory().get(1).values().iterator().next())
        .containsExactly(Map.entry(P1, new OffsetAndMetadata(4)));
  }

  @Test
  void anAbortedCommitDropsTheFlushInFlightAndRewindsBothFlushes() {
    startGated();
    List<ConsumerRecord<byte[], byte[]>> first = offer(0, "a", 4);
    harness.step();
    stepUntil(() -> runner.calls().size() == 1);
    List<ConsumerRecord<byte[], byte[]>> second = offer(1, "b", 4);
    harness.step();
    harness.producer.commitTransactionException = new KafkaException("the broker hiccuped");
    harness.onSleep(() -> harness.producer.commitTransactionException = null);

    permits.release(2);
    stepUntil(() -> !harness.sleeps.isEmpty());
    assertThat(harness.producer.transactionAborted()).isTrue();
    assertThat(harness.producer.history()).isEmpty();
    assertThat(harness.consumer.position(P0)).as("rewound to the aborted flush").isZero();
    assertThat(harness.consumer.position(P1)).as("rewound to the flush that was in flight").isZero();

    first.forEach(harness.consumer::addRecord);
    second.forEach(harness.consumer::addRecord);
    permits.release(100);
    stepUntil(() -> harness.results().size() >= 8);
    assertThat(harness.results()).extracting(InferenceResult::getRequestId)
        .containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3");
  }

  @Test
  void aGracefulStopCommitsTheFlushInFlightThenAnswersWhatWaits() {
    harness.deploy("v1");
    harness.registryRead();
    runner = harness.loader.last();
    runner.gate(permits);
    harness.assignOnNextPoll(0, 1);
    harness.consumer.schedulePollTask(() -> offer(0, "a", 4));
    harness.consumer.schedulePollTask(() -> offer(1, "b", 2));
    harness.worker.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while ((runner.calls().size() < 1 || harness.worker.queueDepth() < 2) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(harness.worker.queueDepth()).as("two requests wait behind the flush in the model").isEqualTo(2);

    permits.release(10);
    assertThat(harness.worker.close(Duration.ofSeconds(10))).isTrue();

    assertThat(harness.worker.failure()).isEmpty();
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "b0", "b1");
    assertThat(harness.producer.commitCount()).isEqualTo(2);
    assertThat(harness.consumer.closed()).isTrue();
    assertThat(harness.producer.closed()).isTrue();
  }

  private List<ConsumerRecord<byte[], byte[]>> offer(int partition, String prefix, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(harness.offer(partition, request(prefix + i, "v1", prefix + " text " + i)));
    }
    return records;
  }

  /** Steps the loop until the condition holds; the inference thread wakes each poll when done. */
  private void stepUntil(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      harness.step();
      Thread.onSpinWait();
    }
  }
}
