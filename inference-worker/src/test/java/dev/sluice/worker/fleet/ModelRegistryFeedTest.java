package dev.sluice.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.worker.FakeLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry feed and the fleet together, on a MockConsumer; the test's thread plays the worker loop. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelRegistryFeedTest {
  private static final String TOPIC = "sluice.models";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<Object> avro = new AvroSerializer<>(registry);
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
  private final FakeLoader loader = new FakeLoader();
  private final ModelFleet fleet = new ModelFleet("minilm", loader, Runnable::run);
  private final ModelRegistryFeed feed = new ModelRegistryFeed(consumer, TOPIC, new AvroDeserializer<>(ModelDeployment.class, registry), fleet);
  private long offset;

  @AfterEach
  void stopFeed() throws InterruptedException {
    assertThat(feed.close(Duration.ofSeconds(10))).isTrue();
    fleet.close();
  }

  @Test
  void loadsEveryDeployedVersionOfItsModelAndDropsUndeployedOnes() {
    consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 4L));
    consumer.schedulePollTask(() -> {
      add("minilm/v1", deployment("minilm", "v1"));
      add("other/v1", deployment("other", "v1"));
      add("not a registry key", deployment("minilm", "v7"));
      add("minilm/v2", deployment("minilm", "v2"));
    });
    new Thread(feed, "registry-feed-test").start();

    awaitServing(List.of("v1", "v2"));
    assertThat(loader.loaded()).hasSize(2);

    consumer.schedulePollTask(() -> add("minilm/v1", null));
    awaitServing(List.of("v2"));
    assertThat(loader.loaded().get(0).closed()).isTrue();
  }

  @Test
  void aVersionNeverSeenIsMissingOnlyAfterTheRegistryWasReadToItsEnd() {
    consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 1L));
    consumer.schedulePollTask(() -> add("minilm/v1", deployment("minilm", "v1")));
    new Thread(feed, "registry-feed-test").start();
    awaitServing(List.of("v1"));

    assertThat(fleet.lookup("v9")).isInstanceOf(VersionLookup.Pending.class);
    await(() -> fleet.lookup("v9") instanceof VersionLookup.Missing);

    assertThat(((VersionLookup.Missing) fleet.lookup("v9")).reason()).isEqualTo("model minilm has no version v9 deployed; deployed: [v1]");
  }

  private void add(String key, ModelDeployment deployment) {
    byte[] value = deployment == null ? null : avro.serialize(TOPIC, deployment);
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset++, key, value));
  }

  private static ModelDeployment deployment(String model, String version) {
    return new ModelDeployment(model, version, "classpath:models/" + version, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, false,
        null, List.of(), List.of(), Map.of(), Instant.parse("2026-11-26T10:00:00Z"), null);
  }

  private void awaitServing(List<String> versions) {
    await(() -> {
      fleet.applyChanges(version -> true);
      return fleet.activeVersions().equals(versions);
    });
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
