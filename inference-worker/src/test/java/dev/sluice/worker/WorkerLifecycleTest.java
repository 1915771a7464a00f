package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Status;
import dev.sluice.worker.fleet.ModelFleetMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness, model loading and hot swap, backpressure, rebalances and graceful shutdown. */
class WorkerLifecycleTest {
  private static final TopicPartition P0 = new TopicPartition(WorkerHarness.TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(WorkerHarness.TOPIC, 1);

  @Test
  void isNotReadyUntilAModelVersionIsLoadedAndPartitionsAreAssigned() {
    WorkerHarness harness = new WorkerHarness();
    harness.worker.initialize();
    assertThat(harness.worker.readiness().reason()).isEqualTo("reading the model registry");
    harness.registryRead();
    assertThat(harness.worker.readiness().reason()).isEqualTo("no version of model minilm is deployed");
    harness.fleet.deployed(WorkerHarness.deployment("v1", "classpath:models/v1", false));
    assertThat(harness.worker.readiness().reason()).isEqualTo("loading model minilm versions [v1]");
    harness.step();
    assertThat(harness.consumer.subscription()).isEmpty();

    harness.runLoads();
    harness.assignOnNextPoll(0, 1);
    harness.step();

    assertThat(harness.consumer.subscription()).containsExactly(WorkerHarness.TOPIC);
    assertThat(harness.worker.readiness()).isEqualTo(new Readiness(true,
        "serving model minilm versions [v1] on 2 partitions of sluice.inference.minilm"));
    assertThat(harness.worker.isLive()).isTrue();
  }

  @Test
  void aModelThatFailsToLoadKeepsReadinessFalseAndConsumesNothing() {
    WorkerHarness harness = new WorkerHarness();
    harness.fleet.deployed(WorkerHarness.deployment("v1", "file:/models/broken", false));
    harness.runLoads();
    harness.registryRead();
    harness.worker.initialize();
    harness.step();
    harness.step();

    assertThat(harness.consumer.subscription()).isEmpty();
    assertThat(harness.worker.readiness().ready()).isFalse();
    assertThat(harness.worker.readiness().reason())
        .isEqualTo("model minilm version v1 failed to load from file:/models/broken: no model file at file:/models/broken");
    assertThat(harness.meters.get(ModelFleetMetrics.LOAD_TIMER).tag("outcome", "failure").timer().count()).isEqualTo(1);
    assertThat(harness.producer.history()).isEmpty();
    assertThat(harness.worker.modelLoadFailed()).isTrue();
  }

  @Test
  void hotSwapsARedeployedVersionBetweenFlushesAndClosesTheOldRunner() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    FakeRunner first = harness.loader.last();
    offerFlush(harness, "a");
    harness.step();
    harness.fleet.deployed(WorkerHarness.deployment("v1", "classpath:models/v1-retrained", false));
    offerFlush(harness, "b");
    harness.step();
    harness.runLoads();
    FakeRunner second = harness.loader.last();
    assertThat(first.closed()).isFalse();

    offerFlush(harness, "c");
    harness.step();

    assertThat(markersOf(harness, "a")).containsOnly(1f);
    assertThat(markersOf(harness, "b")).containsOnly(1f);
    assertThat(markersOf(harness, "c")).containsOnly(2f);
    assertThat(first.closed()).isTrue();
    assertThat(second.closed()).isFalse();
  }

  @Test
  void aTrafficWeightChangeKeepsTheLoadedRunnerServing() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    FakeRunner first = harness.loader.last();
    ModelDeployment reweighted = ModelDeployment.newBuilder(WorkerHarness.deployment("v1", "classpath:models/v1", false))
        .setTrafficWeight(0.25).setDescription("now a quarter of the traffic").build();

    harness.fleet.deployed(reweighted);
    harness.runLoads();
    offerFlush(harness, "a");
    harness.step();

    assertThat(harness.loader.last()).as("no second load").isSameAs(first);
    assertThat(first.closed()).isFalse();
    assertThat(markersOf(harness, "a")).containsOnly(1f);
    assertThat(harness.worker.readiness().ready()).isTrue();
  }

  @Test
  void anUndeployedVersionDrainsThenClosesAndLaterRequestsForItGetErrors() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.deploy("v2");
    FakeRunner v2 = harness.loader.last();
    harness.offer(0, request("before", "v2", "consumed before the undeploy"));
    harness.step();
    harness.fleet.removed("v2");
    harness.clock.advance(Duration.ofMillis(10));
    assertThat(v2.closed()).isFalse();
    harness.step();
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactly("before");
    assertThat(v2.closed()).as("closed once its last batch is answered").isTrue();

    harness.offer(0, request("after", "v2", "consumed after the undeploy"));
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactly("before");
    harness.registryRead();
    harness.step();

    InferenceResult after = harness.results().get(1);
    assertThat(after.getRequestId()).isEqualTo("after");
    assertThat(after.getStatus()).isEqualTo(Status.ERROR);
    assertThat(after.getError()).isEqualTo("model minilm has no version v2 deployed; deployed: [v1]");
    assertThat(harness.results().get(0).getStatus()).isEqualTo(Status.OK);
  }

  @Test
  void pausesEveryPartitionAtTheInflightBoundAndResumesOnceItFlushes() {
    WorkerHarness harness = new WorkerHarness(Map.of(WorkerConfig.INFLIGHT_MAX, "4"));
    harness.startServing();
    harness.fleet.deployed(WorkerHarness.deployment("v2", "classpath:models/v2", false));
    for (int i = 0; i < 4; i++) {
      harness.offer(i % 2, request("r" + i, "v2", "for the version still loading"));
    }
    harness.step();
    assertThat(harness.consumer.paused()).containsExactlyInAnyOrder(P0, P1);
    assertThat(harness.worker.queueDepth()).isEqualTo(4);
    assertThat(harness.results()).isEmpty();

    harness.runLoads();
    harness.step();

    assertThat(harness.consumer.paused()).isEmpty();
    assertThat(harness.results()).hasSize(4).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(Status.OK));
  }

  @Test
  void dropsTheWaitingRequestsOfRevokedPartitionsForTheirNextOwner() {
    WorkerHarness harness = new WorkerHarness();
    harness.startServing();
    harness.offer(0, request("r0", "v1", "on p0"));
    harness.offer(1, request("r1", "v1", "on p1"));
    harness.step();
    harness.consumer.schedulePollTask(() -> harness.consumer.rebalance(List.of(P1)));
    harness.step();
    assertThat(harness.worker.queueDepth()).isEqualTo(1);
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactly("r1");
    assertThat(harness.producer.consumerGroupOffsetsHistory().get(0).values().iterator().next())
        .isEqualTo(Map.of(P1, new OffsetAndMetadata(1)));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aGracefulStopAnswersAndCommitsWhatWaitsThenCloses() {
    WorkerHarness harness = new WorkerHarness();
    harness.deploy("v1");
    harness.registryRead();
    harness.assignOnNextPoll(0, 1);
    harness.consumer.schedulePollTask(() -> {
      harness.offer(0, request("r0", "v1", "waiting"));
      harness.offer(1, request("r1", "v1", "also waiting"));
    });
    harness.worker.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (harness.worker.queueDepth() < 2 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    assertThat(harness.worker.queueDepth()).isEqualTo(2);

    assertThat(harness.worker.close(Duration.ofSeconds(10))).isTrue();

    assertThat(harness.worker.failure()).isEmpty();
    assertThat(harness.results()).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrder("r0", "r1");
    assertThat(harness.producer.commitCount()).isEqualTo(1);
    assertThat(harness.consumer.closed()).isTrue();
    assertThat(harness.producer.closed()).isTrue();
    assertThat(harness.worker.isLive()).isFalse();
  }

  private static void offerFlush(WorkerHarness harness, String prefix) {
    for (int i = 0; i < 4; i++) {
      harness.offer(i % 2, request(prefix + i, "v1", prefix + " text " + i));
    }
  }

  private static List<Float> markersOf(WorkerHarness harness, String prefix) {
    return harness.results().stream().filter(result -> result.getRequestId().startsWith(prefix))
        .map(result -> ((Embedding) result.getOutput()).getVector().get(1)).toList();
  }
}
