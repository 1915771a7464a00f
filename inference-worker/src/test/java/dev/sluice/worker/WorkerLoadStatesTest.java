package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.LoadState;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a worker says about its model on a real broker: its load state of each version on the
 * status topic (ready, failed with the reason, gone when undeployed or stopped), and a clear exit
 * when its model has no deployed version, unless it was asked to wait for one.
 */
@RealKafka(schemaRegistry = true)
class WorkerLoadStatesTest {

  @Test
  void reportsEachVersionsLoadStateAndWithdrawsItOnUndeployAndStop(KafkaCluster kafka) throws Exception {
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "states", 2)) {
      rig.deploy("v1");
      rig.deploy("v2", "classpath:models/broken-v2");
      WorkerService worker = rig.startWorker("worker-a");
      String v1 = "minilm/v1/worker-a";
      String v2 = "minilm/v2/worker-a";
      RealBrokerRig.await(() -> {
        Map<String, ModelLoadState> states = rig.loadStates();
        return states.containsKey(v1) && states.get(v1).getState() == LoadState.READY
            && states.containsKey(v2) && states.get(v2).getState() == LoadState.FAILED;
      }, () -> "v1 ready and v2 failed: " + rig.loadStates());

      Map<String, ModelLoadState> states = rig.loadStates();
      assertThat(states.get(v1).getWorkerId()).isEqualTo("worker-a");
      assertThat(states.get(v1).getReason()).isNull();
      assertThat(states.get(v2).getReason()).contains("failed to load from classpath:models/broken-v2").contains("no model file");

      rig.undeploy("v2");
      RealBrokerRig.await(() -> !rig.loadStates().containsKey(v2), () -> "v2 withdrawn: " + rig.loadStates());

      assertThat(worker.stop()).isTrue();
      assertThat(rig.loadStates()).isEmpty();
    }
  }

  @Test
  void exitsSayingSoWhenItsModelHasNoDeployedVersionUnlessToldToWait(KafkaCluster kafka) throws Exception {
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "nomodel", 2)) {
      WorkerService impatient = WorkerService.start(WorkerConfig.parse(rig.workerProperties("worker-a")), new FakeLoader(),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      try {
        assertThat(impatient.worker().awaitTermination(RealBrokerRig.PATIENCE)).isTrue();
        assertThat(impatient.worker().failure()).get().extracting(Throwable::getMessage).asString()
            .startsWith("No version of model minilm is deployed on nomodel.models: deploy one")
            .contains("--wait-for-model (worker.wait.for.model=true)");
      } finally {
        impatient.stop(Duration.ofSeconds(30));
      }

      Map<String, String> waiting = rig.workerProperties("worker-b");
      waiting.put(WorkerConfig.WAIT_FOR_MODEL, "true");
      WorkerService patient = WorkerService.start(WorkerConfig.parse(waiting), new FakeLoader(),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      try {
        RealBrokerRig.await(() -> patient.worker().readiness().reason().contains("no version of model minilm is deployed"),
            () -> "waiting: " + patient.worker().readiness());
        assertThat(patient.worker().failure()).isEmpty();

        rig.deploy("v1");

        RealBrokerRig.await(() -> patient.worker().readiness().ready(), () -> "ready: " + patient.worker().readiness());
      } finally {
        patient.stop(Duration.ofSeconds(30));
      }
    }
  }
}
