package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.TensorInput;
import dev.sluice.schemas.topics.DeadLetterBounds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests that once stopped the worker loop: each ends as one result or one dead letter, and the others are answered. */
class WorkerPoisonRecordTest {

  private static WorkerHarness serving(Map<String, String> overrides) {
    WorkerHarness harness = new WorkerHarness(overrides);
    harness.startServing();
    return harness;
  }

  /** Each result's status by request id; a request answered twice fails the map's construction. */
  private static Map<String, Status> statuses(WorkerHarness harness) {
    return harness.results().stream().collect(java.util.stream.Collectors.toMap(InferenceResult::getRequestId, InferenceResult::getStatus));
  }

  @Test
  void createdAtAtTheEndsOfTimeDoesNotOverflowTheTimings() {
    WorkerHarness harness = serving(Map.of());
    PreparedRequest future = request("future", "v1", "a");
    future.setCreatedAt(Instant.ofEpochMilli(8_640_000_000_000_000L));
    PreparedRequest past = request("past", "v1", "b");
    past.setCreatedAt(Instant.ofEpochMilli(-8_640_000_000_000_000L));
    harness.offer(0, future);
    harness.offer(0, past);
    harness.offer(1, request("r2", "v1", "c"));
    harness.offer(1, request("r3", "v1", "d"));

    harness.step();

    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("future", "past", "r2", "r3");
    InferenceResult pastResult = harness.results().stream().filter(r -> r.getRequestId().equals("past")).findFirst().orElseThrow();
    assertThat(pastResult.getTimings().getQueuedMs()).isGreaterThan(8.6e15);
    assertThat(pastResult.getStatus()).isEqualTo(Status.OK);
    InferenceResult futureResult = harness.results().stream().filter(r -> r.getRequestId().equals("future")).findFirst().orElseThrow();
    assertThat(futureResult.getTimings().getQueuedMs()).isZero();
  }

  @Test
  void resultOverMaxRequestSizeBecomesAnErrorResult() {
    WorkerHarness harness = serving(Map.of("producer.max.request.size", "50000"));
    harness.offer(0, request("huge", "v1", "HUGE output"));
    harness.offer(0, request("r1", "v1", "fine"));
    harness.offer(1, request("r2", "v1", "fine too"));
    harness.offer(1, request("r3", "v1", "also fine"));

    harness.step();

    assertThat(statuses(harness)).isEqualTo(Map.of("huge", Status.ERROR, "r1", Status.OK, "r2", Status.OK, "r3", Status.OK));
    assertThat(harness.results().stream().filter(r -> r.getStatus() == Status.ERROR).findFirst().orElseThrow().getError())
        .contains("max.request.size is 50000 bytes");
    assertThat(harness.producer.history()).allSatisfy(record -> assertThat(record.value().length).isLessThan(50_000));
  }

  @Test
  void requestWhoseResultCannotFitEvenAsAnErrorIsDeadLettered() {
    WorkerHarness harness = serving(Map.of("producer.max.request.size", "50000"));
    PreparedRequest bloated = request("bloated", "v1", "a");
    bloated.setAttributes(Map.of("blob", "x".repeat(70_000)));
    harness.offer(0, bloated);
    harness.offer(0, request("r1", "v1", "b"));
    harness.offer(1, request("r2", "v1", "c"));
    harness.offer(1, request("r3", "v1", "d"));

    harness.step();

    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("r1", "r2", "r3");
    RejectedRequest dead = harness.deadLetters().get(0);
    assertThat(harness.deadLetters()).hasSize(1);
    assertThat(dead.getReason()).isEqualTo(ReasonCode.OTHER);
    assertThat(dead.getStage()).isEqualTo(Stage.OTHER);
    assertThat(dead.getRequestId()).isEqualTo("bloated");
    assertThat(dead.getOriginalTruncated()).isTrue();
    assertThat(dead.getOriginalValue().remaining()).isEqualTo(DeadLetterBounds.MAX_ORIGINAL_VALUE_BYTES);
  }

  @Test
  void runnerThrowingOnOneInputGivesThatRequestAnErrorOnly() {
    WorkerHarness harness = serving(Map.of());
    PreparedRequest tensor = request("tensor", "v1", "unused");
    tensor.setInput(new TensorInput(List.of(2), List.of(1f, 2f)));
    harness.offer(0, tensor);
    harness.offer(0, request("r1", "v1", "b"));
    harness.offer(1, request("r2", "v1", "c"));
    harness.offer(1, request("r3", "v1", "d"));

    harness.step();

    assertThat(statuses(harness)).isEqualTo(Map.of("tensor", Status.ERROR, "r1", Status.OK, "r2", Status.OK, "r3", Status.OK));
    assertThat(harness.worker.failure()).isEmpty();
  }

  @Test
  void undecodableRecordOverOneMebibyteGetsADeadLetterThatFits() {
    WorkerHarness harness = serving(Map.of());
    harness.offerRaw(0, new byte[10_000], new byte[1_500_000]);
    harness.offer(0, request("r1", "v1", "b"));
    harness.offer(1, request("r2", "v1", "c"));
    harness.offer(1, request("r3", "v1", "d"));

    harness.step();

    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("r1", "r2", "r3");
    assertThat(harness.sent(WorkerHarness.TOPICS.rejected())).singleElement().satisfies(record -> {
      assertThat(record.key()).isNull();
      assertThat(record.value().length).isLessThan(100_000);
    });
    assertThat(harness.deadLetters().get(0).getOriginalValueSize()).isEqualTo(1_500_000);
  }
}
