package dev.sluice.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.worker.FakeLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.slf4j.LoggerFactory;

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

  @Test
  void skipsWithAnErrorEachRecordOfItsModelItCannotReadAndKeepsReading() {
    Logger logger = (Logger) LoggerFactory.getLogger(ModelRegistryFeed.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
      consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
      consumer.updateEndOffsets(Map.of(PARTITION, 5L));
      consumer.schedulePollTask(() -> {
        add(null, deployment("minilm", "v7"));
        addRaw("minilm/v3", "garbage".getBytes(StandardCharsets.UTF_8));
        add("minilm/v4", deployment("minilm", "v5"));
        addRaw("other/v1", "garbage".getBytes(StandardCharsets.UTF_8));
        add("minilm/v1", deployment("minilm", "v1"));
      });
      new Thread(feed, "registry-feed-test").start();
      awaitServing(List.of("v1"));
    } finally {
      logger.detachAppender(appender);
    }

    assertThat(appender.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.ERROR);
    List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("Skipping model registry record at sluice.models-0 offset 0: Invalid model registry key null: expected model/version");
    assertThat(lines.get(1)).startsWith("Skipping undecodable deployment of minilm/v3: Unknown magic byte")
        .contains("in record from topic sluice.models partition 0 offset 1");
    assertThat(lines.get(2)).isEqualTo("Skipping deployment under key minilm/v4 at sluice.models-0 offset 2: it describes minilm/v5");
    assertThat(loader.loaded()).hasSize(1);
  }

  @Test
  void aRegistryOutageWhileDecodingItsModelsDeploymentStopsTheFeedButOtherModelsAreNotDecoded() {
    SchemaRegistryUnavailableException down = new SchemaRegistryUnavailableException("registry down", new IOException("refused"));
    MockConsumer<String, byte[]> outageConsumer = new MockConsumer<>("earliest");
    ModelRegistryFeed outageFeed = new ModelRegistryFeed(outageConsumer, TOPIC, (topic, data) -> {
      throw down;
    }, fleet);
    outageConsumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    outageConsumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    outageConsumer.updateEndOffsets(Map.of(PARTITION, 2L));
    outageConsumer.schedulePollTask(() -> {
      outageConsumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "other/v1", new byte[] {0}));
      outageConsumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "minilm/v1", new byte[] {0}));
    });
    new Thread(outageFeed, "registry-feed-test").start();

    await(() -> fleet.failure().isPresent());
    assertThat(fleet.failure()).containsSame(down);
  }

  private void add(String key, ModelDeployment deployment) {
    addRaw(key, deployment == null ? null : avro.serialize(TOPIC, deployment));
  }

  private void addRaw(String key, byte[] value) {
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset++, key, value));
  }

  private static ModelDeployment deployment(String model, String version) {
    return new ModelDeployment(model, version, "classpath:models/" + version, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, null, false,
        null, List.of(), List.of(), Map.of(), Instant.parse("2026-11-26T10:00:00Z"), null, List.of());
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
