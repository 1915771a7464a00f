package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What the loop does with the two failures of a version on remote endpoints that blame no input:
 * a deadline passing during the call (EXPIRED, no late answer) and no endpoint answering (nothing
 * committed: the flush is read again and answered once an endpoint does).
 */
class WorkerEndpointFailuresTest {
  private static final TopicPartition P0 = new TopicPartition(WorkerHarness.TOPIC, 0);

  @Test
  void aDeadlinePassingDuringTheCallExpiresTheRequestsItCoversAndRunsTheRestAgain() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, PreparedRequest.newBuilder(request("slow", "v1", "SLOW text")).setDeadline(WorkerHarness.START.plusSeconds(1)).build());
    harness.offer(0, PreparedRequest.newBuilder(request("same", "v1", "soon due")).setDeadline(WorkerHarness.START.plusSeconds(1)).build());
    harness.offer(1, PreparedRequest.newBuilder(request("later", "v1", "due later")).setDeadline(WorkerHarness.START.plusSeconds(60)).build());
    harness.offer(1, request("none", "v1", "no deadline"));

    harness.step();

    Map<String, InferenceResult> results = byId(harness.results());
    assertThat(results).containsOnlyKeys("slow", "same", "later", "none");
    assertThat(results.get("slow").getStatus()).isEqualTo(Status.EXPIRED);
    assertThat(results.get("slow").getOutput()).isNull();
    assertThat(results.get("slow").getError()).contains("passed while the model's endpoint was answering");
    assertThat(results.get("same").getStatus()).isEqualTo(Status.EXPIRED);
    assertThat(results.get("later").getStatus()).isEqualTo(Status.OK);
    assertThat(results.get("none").getStatus()).isEqualTo(Status.OK);
    List<List<String>> calls = harness.loader.last().calls();
    assertThat(calls.get(calls.size() - 1)).containsExactlyInAnyOrder("due later", "no deadline");
  }

  @Test
  void aFlushNoEndpointAnswersIsNotCommittedAndIsAnsweredOnceWhenOneDoes() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    FakeRunner runner = harness.loader.last();
    runner.endpointsDown = true;
    List<ConsumerRecord<byte[], byte[]>> records = List.of(
        harness.offer(0, request("r0", "v1", "a")),
        harness.offer(0, request("r1", "v1", "b")),
        harness.offer(0, PreparedRequest.newBuilder(request("due", "v1", "c")).setDeadline(WorkerHarness.START.plusSeconds(1)).build()),
        harness.offer(0, request("r3", "v1", "d")));

    harness.step();

    assertThat(harness.producer.history()).as("nothing produced: no result the model did not give").isEmpty();
    assertThat(harness.producer.commitCount()).isZero();
    assertThat(harness.consumer.position(P0)).as("rewound to the flush's first offset").isZero();
    assertThat(harness.sleeps).containsExactly(Duration.ofMillis(100));
    assertThat(harness.worker.readiness().ready()).as("ready: it serves once an endpoint does").isTrue();
    assertThat(harness.worker.readiness().degraded()).isTrue();
    assertThat(harness.worker.readiness().reason()).contains("1 flushes in a row unanswered", "primary: answered 503");

    // Still down: read again, still nothing; the backoff grows and the worker keeps going.
    records.forEach(harness.consumer::addRecord);
    harness.step();
    assertThat(harness.producer.history()).isEmpty();
    assertThat(harness.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));

    // An endpoint answers again; meanwhile one request's deadline passed.
    runner.endpointsDown = false;
    harness.clock.advance(Duration.ofSeconds(2));
    records.forEach(harness.consumer::addRecord);
    harness.step();

    Map<String, InferenceResult> results = byId(harness.results());
    assertThat(results).containsOnlyKeys("r0", "r1", "due", "r3");
    assertThat(results.get("due").getStatus()).isEqualTo(Status.EXPIRED);
    assertThat(results.get("due").getError()).contains("passed before inference");
    assertThat(List.of(results.get("r0"), results.get("r1"), results.get("r3"))).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(Status.OK));
    assertThat(harness.producer.commitCount()).isEqualTo(1);
    assertThat(harness.worker.failure()).isEmpty();
    assertThat(harness.worker.readiness().degraded()).as("no longer degraded once a flush commits").isFalse();
  }

  @Test
  void anInputTheEndpointsFailOnWhileAnsweringOthersIsIsolatedAsAnError() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, request("r0", "v1", "fine"));
    harness.offer(0, request("bad", "v1", "FAILS5XX here"));
    harness.offer(1, request("r2", "v1", "also fine"));
    harness.offer(1, request("r3", "v1", "fine too"));

    harness.step();

    Map<String, InferenceResult> results = byId(harness.results());
    assertThat(results).containsOnlyKeys("r0", "bad", "r2", "r3");
    assertThat(results.get("bad").getStatus()).isEqualTo(Status.ERROR);
    assertThat(results.get("bad").getError()).contains("failed on this input while answering others", "answered 500");
    assertThat(List.of(results.get("r0"), results.get("r2"), results.get("r3"))).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(Status.OK));
    assertThat(harness.producer.commitCount()).isEqualTo(1);
  }

  @Test
  void shadowCopiesNoEndpointAnswersAreAnsweredErrorWithoutHoldingTheFlush() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.loader.last().endpointsDown = true;
    harness.offer(0, PreparedRequest.newBuilder(request("s0", "v1", "a")).setShadow(true).build());
    harness.offer(1, PreparedRequest.newBuilder(request("s1", "v1", "b")).setShadow(true).build());

    harness.step();
    harness.clock.advance(Duration.ofMillis(20));
    harness.step();

    assertThat(harness.shadowResults()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("s0", "s1");
    assertThat(harness.shadowResults()).allSatisfy(r -> {
      assertThat(r.getStatus()).isEqualTo(Status.ERROR);
      assertThat(r.getError()).contains("no endpoint answered");
    });
    assertThat(harness.sleeps).as("no rewind").isEmpty();
  }

  /** Results by request id; a request answered twice fails here. */
  private static Map<String, InferenceResult> byId(List<InferenceResult> results) {
    return results.stream().collect(Collectors.toMap(InferenceResult::getRequestId, r -> r));
  }
}
