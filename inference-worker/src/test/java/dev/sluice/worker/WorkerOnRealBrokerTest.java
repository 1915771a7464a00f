package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The worker on a real broker and schema registry, with a fake model: every prepared request is
 * answered exactly once as read_committed readers see it, also when one of two workers leaves the
 * group mid-run and the other takes its partitions over.
 */
@RealKafka(schemaRegistry = true)
class WorkerOnRealBrokerTest {

  @Test
  void answersEachOfTwoHundredRequestsExactlyOnce(KafkaCluster kafka) throws Exception {
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "single", 3)) {
      rig.deploy("v1");
      WorkerService worker = rig.startWorker("worker-a");
      rig.sendRequests(0, 200);
      rig.awaitResults(200);
      assertThat(worker.stop()).isTrue();

      List<InferenceResult> results = rig.readToEnd();

      assertThat(RealBrokerRig.countsById(results)).hasSize(200).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
      assertThat(results).allSatisfy(result -> {
        assertThat(result.getStatus()).isEqualTo(Status.OK);
        assertThat(result.getWorkerId()).isEqualTo("worker-a");
      });
      assertThat(worker.worker().failure()).isEmpty();
    }
  }

  @Test
  void aWorkerLeavingMidRunHandsItsPartitionsOverWithoutLossOrDuplicates(KafkaCluster kafka) throws Exception {
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "pair", 4)) {
      rig.deploy("v1");
      WorkerService first = rig.startWorker("worker-a");
      WorkerService second = rig.startWorker("worker-b");
      RealBrokerRig.await(() -> first.worker().readiness().ready() && second.worker().readiness().ready(),
          () -> "both workers assigned: " + first.worker().readiness() + " / " + second.worker().readiness());
      rig.sendRequests(0, 300);
      rig.awaitResults(100);

      rig.sendRequests(300, 600);
      assertThat(first.stop()).isTrue();
      rig.awaitResults(600);
      assertThat(second.stop()).isTrue();

      List<InferenceResult> results = rig.readToEnd();
      Map<String, Long> counts = RealBrokerRig.countsById(results);
      assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(
          IntStream.range(0, 600).mapToObj(i -> "req-" + i).collect(Collectors.toList()));
      assertThat(counts).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
      assertThat(results).extracting(InferenceResult::getWorkerId).contains("worker-a", "worker-b");
      assertThat(first.worker().failure()).isEmpty();
      assertThat(second.worker().failure()).isEmpty();
    }
  }
}
