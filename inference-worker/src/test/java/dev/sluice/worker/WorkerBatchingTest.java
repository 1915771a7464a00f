package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Flushes, batches bucketed by length, deadlines, bisection and what a result carries. */
class WorkerBatchingTest {

  @Test
  void flushesAsSoonAsTheMaximumRecordsWait() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    for (int i = 0; i < 4; i++) {
      harness.offer(0, request("r" + i, "v1", "text " + i));
    }
    harness.step();

    assertThat(harness.loader.last().calls()).singleElement().satisfies(call -> assertThat(call).hasSize(4));
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("r0", "r1", "r2", "r3");
  }

  @Test
  void waitsForCompanyUntilTheOldestRequestReachesTheMaxDelay() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, request("r0", "v1", "alone"));
    harness.offer(1, request("r1", "v1", "together"));
    harness.step();
    harness.clock.advance(Duration.ofMillis(9));
    harness.step();
    assertThat(harness.loader.last().calls()).isEmpty();

    harness.clock.advance(Duration.ofMillis(1));
    harness.step();

    assertThat(harness.loader.last().calls()).containsExactly(List.of("alone", "together"));
    assertThat(harness.results()).hasSize(2).allSatisfy(result -> assertThat(result.getBatchSize()).isEqualTo(2));
  }

  @Test
  void withALatencyTargetALoneRequestIsFlushedWithoutWaitingForCompany() {
    WorkerHarness harness = new WorkerHarness(Map.of(WorkerConfig.LATENCY_TARGET_MS, "100"));
    harness.startServing();
    for (int flush = 0; flush < 2; flush++) {
      // Two flushes teach the planner the model's time.
      for (int i = 0; i < 4; i++) {
        harness.offer(0, request("f" + flush + "-" + i, "v1", "text " + i));
      }
      harness.step();
    }
    harness.clock.advance(Duration.ofSeconds(5));
    harness.offer(1, request("lone", "v1", "alone"));
    harness.step();

    assertThat(harness.loader.last().calls()).hasSize(3).last().isEqualTo(List.of("alone"));
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).contains("lone");
  }

  @Test
  void bucketsRequestsByLengthSoShortTextsAreNotPaddedToLongOnes() {
    WorkerHarness harness = new WorkerHarness(Map.of(WorkerConfig.INFLIGHT_MAX, "16"));
    harness.startServing();
    List<String> texts = List.of("a".repeat(40), "b", "c".repeat(30), "dd", "e".repeat(50), "fff", "g".repeat(45), "hhhh");
    harness.consumer.setMaxPollRecords(8);
    for (int i = 0; i < texts.size(); i++) {
      harness.offer(0, request("r" + i, "v1", texts.get(i)));
    }
    harness.step();

    assertThat(harness.loader.last().calls()).containsExactly(
        List.of("b", "dd", "fff", "hhhh"),
        List.of("c".repeat(30), "a".repeat(40), "g".repeat(45), "e".repeat(50)));
  }

  @Test
  void keepsArrivalOrderWithoutBucketing() {
    WorkerHarness harness = new WorkerHarness(Map.of(WorkerConfig.BATCH_BUCKETING, "false"));
    harness.startServing();
    List<String> texts = List.of("a".repeat(40), "b", "c".repeat(30), "dd");
    for (int i = 0; i < texts.size(); i++) {
      harness.offer(0, request("r" + i, "v1", texts.get(i)));
    }
    harness.step();

    assertThat(harness.loader.last().calls()).containsExactly(texts);
  }

  @Test
  void answersAnExpiredRequestWithoutInference() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, PreparedRequest.newBuilder(request("late", "v1", "too late")).setDeadline(WorkerHarness.START.plusMillis(5)).build());
    harness.offer(0, PreparedRequest.newBuilder(request("timely", "v1", "in time")).setDeadline(WorkerHarness.START.plusSeconds(5)).build());
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    assertThat(harness.loader.last().calls()).containsExactly(List.of("in time"));
    InferenceResult late = resultOf(harness, "late");
    assertThat(late.getStatus()).isEqualTo(Status.EXPIRED);
    assertThat(late.getOutput()).isNull();
    assertThat(late.getBatchSize()).isZero();
    assertThat(late.getError()).contains("deadline");
    assertThat(resultOf(harness, "timely").getStatus()).isEqualTo(Status.OK);
  }

  @Test
  void bisectionIsolatesOneBadRecordAmongSixteen() {
    WorkerHarness harness = new WorkerHarness(Map.of(WorkerConfig.FLUSH_MAX_RECORDS, "16"));
    harness.startServing();
    IntStream.range(0, 16).forEach(i ->
        harness.offer(i % 2, request("r" + i, "v1", i == 11 ? "a " + FakeRunner.POISON + " text" : "fine text " + i)));
    harness.step();

    assertThat(harness.results()).hasSize(16);
    assertThat(harness.results()).filteredOn(result -> result.getStatus() == Status.OK).hasSize(15);
    InferenceResult bad = resultOf(harness, "r11");
    assertThat(bad.getStatus()).isEqualTo(Status.ERROR);
    assertThat(bad.getError()).isEqualTo("cannot embed " + FakeRunner.POISON);
    assertThat(bad.getBatchSize()).isEqualTo(1);
    assertThat(harness.loader.last().calls()).hasSize(9);
  }

  @Test
  void resultCarriesTheRequestAndWhereTheTimeWent() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(1, request("r1", "v1", "hello"));
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    ProducerRecord<byte[], byte[]> record = harness.sent(WorkerHarness.TOPICS.results()).get(0);
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("r1");
    assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo(WorkerHarness.TRACEPARENT);
    InferenceResult result = resultOf(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(Status.OK);
    assertThat(result.getOutput()).isEqualTo(new Embedding(List.of(5f, 1f)));
    assertThat(result.getModel()).isEqualTo(WorkerHarness.MODEL);
    assertThat(result.getModelVersion()).isEqualTo("v1");
    assertThat(result.getCached()).isFalse();
    assertThat(result.getContentKey()).isEqualTo("content-r1");
    assertThat(result.getWorkerId()).isEqualTo("worker-1");
    assertThat(result.getTenant()).isEqualTo("acme");
    assertThat(result.getTraceparent()).isEqualTo(WorkerHarness.TRACEPARENT);
    assertThat(result.getAttributes()).containsEntry("source", "test");
    assertThat(result.getCompletedAt()).isEqualTo(WorkerHarness.START.plusMillis(10));
    assertThat(result.getTimings().getQueuedMs()).isEqualTo(50.0);
    assertThat(result.getTimings().getPreprocessMs()).isEqualTo(1.5);
    assertThat(result.getTimings().getInferenceMs()).isEqualTo(2.0);
    assertThat(result.getTimings().getEndToEndMs()).isEqualTo(60.0);
  }

  @Test
  void shadowCopiesAreAnsweredOnTheShadowTopicOnly() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.fleet.deployed(WorkerHarness.deployment("v2-shadow", "classpath:models/v2", true));
    harness.runLoads();
    harness.offer(0, request("r1", "v1", "served"));
    harness.offer(0, PreparedRequest.newBuilder(request("r1", "v2-shadow", "served")).setShadow(true).build());
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    assertThat(harness.results()).extracting(InferenceResult::getModelVersion).containsExactly("v1");
    assertThat(harness.shadowResults()).singleElement().satisfies(result -> {
      assertThat(result.getModelVersion()).isEqualTo("v2-shadow");
      assertThat(result.getShadow()).isTrue();
      assertThat(result.getStatus()).isEqualTo(Status.OK);
    });
  }

  private static InferenceResult resultOf(WorkerHarness harness, String requestId) {
    return harness.results().stream().filter(result -> result.getRequestId().equals(requestId)).findFirst().orElseThrow();
  }
}
