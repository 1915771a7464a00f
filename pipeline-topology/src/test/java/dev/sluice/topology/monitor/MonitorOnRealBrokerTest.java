package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import dev.sluice.topology.app.StreamsService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor as {@link MonitorApp} runs it ({@link MonitorService}: exactly-once Streams, the
 * REST registry, the HTTP side door) on a real broker: results of one window become one final
 * snapshot on {@code sluice.metrics}, as a read_committed consumer sees it, once a later record
 * closes the window, or, with no later record, once the wall clock passes its end plus grace. Every record goes to one partition, so the closing record cannot overtake
 * the window's own (across partitions, only the grace period absorbs such skew).
 */
@RealKafka(schemaRegistry = true)
class MonitorOnRealBrokerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Instant BASE = Instant.parse("2026-03-01T12:00:00Z");
  private static final String MODEL = "sentiment";

  @TempDir Path stateDir;
  private final PipelineTopics topics = PipelineTopics.defaults();
  /** When {@link #awaitFinals} first saw a final snapshot (epoch ms), 0 before. */
  private static long firstFinalSeenAt;

  @Test
  void producesOneFinalSnapshotPerClosedWindowOnTheMetricsTopic(KafkaCluster kafka) throws Exception {
    createTopics(kafka, topics);
    MonitorConfig config = MonitorConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "schema.registry.url", kafka.schemaRegistryUrl(), "state.dir", stateDir.toString(), "commit.interval.ms", "100",
        "monitor.window.sizes.ms", "1000", "monitor.window.grace.ms", "0", "monitor.early.update.interval.ms", "0",
        "monitor.http.port", "0"));
    try (SchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
        StreamsService monitor = MonitorService.start(config);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
            kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      AvroSerializer<InferenceResult> serializer = new AvroSerializer<>(registry);
      for (int i = 0; i < 20; i++) {
        send(producer, serializer, result("r" + i, "v1", BASE.plusMillis(i * 40L)));
      }
      send(producer, serializer, result("later", "v1", BASE.plusSeconds(5)));
      producer.flush();

      List<MetricsSnapshot> finals = awaitFinals(kafka, registry, 1, topics.metrics());
      assertThat(finals).extracting(MetricsSnapshot::getWindowStart).as("one final per window").doesNotHaveDuplicates();
      assertThat(finals).filteredOn(s -> s.getWindowStart().equals(BASE)).singleElement().satisfies(s -> {
        assertThat(s.getModel()).isEqualTo(MODEL);
        assertThat(s.getModelVersion()).isEqualTo("v1");
        assertThat(s.getWindowStart()).isEqualTo(BASE);
        assertThat(s.getRequestCount()).isEqualTo(20);
        assertThat(s.getThroughputPerS()).isEqualTo(20.0);
      });
      // Streams may still be in a follow-up rebalance (it processes through a cooperative one), so wait for RUNNING.
      assertThat(awaitRunning(monitor)).isEqualTo(KafkaStreams.State.RUNNING);
      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + monitor.httpPort() + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void closesTheLastWindowOnTheWallClockWithoutAnotherRecord(KafkaCluster kafka) throws Exception {
    PipelineTopics wall = new PipelineTopics("wall");
    createTopics(kafka, wall);
    MonitorConfig config = MonitorConfig.parse(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "schema.registry.url", kafka.schemaRegistryUrl(), "state.dir", stateDir.toString(), "application.id", "monitor-wall-clock", "topic.prefix", "wall",
        "monitor.window.sizes.ms", "2000", "monitor.window.grace.ms", "1000", "monitor.early.update.interval.ms", "0",
        "monitor.http.port", "0"));
    try (SchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
        StreamsService monitor = MonitorService.start(config);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
            kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      awaitRunning(monitor);
      AvroSerializer<InferenceResult> serializer = new AvroSerializer<>(registry);
      Instant now = Instant.now();
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(wall.results(), i % 2, ("w" + i).getBytes(StandardCharsets.UTF_8),
            serializer.serialize(wall.results(), result("w" + i, "v1", now))));
      }
      producer.flush();

      List<MetricsSnapshot> finals = awaitFinals(kafka, registry, 1, wall.metrics());
      long seenAt = firstFinalSeenAt;
      assertThat(finals).singleElement().satisfies(s -> assertThat(s.getRequestCount()).isEqualTo(10));
      long due = finals.get(0).getWindowEnd().toEpochMilli() + 1000;
      assertThat(seenAt - due).as("ms after end + grace that a read_committed reader saw the final (the bound is 1 s;"
          + " this test allows 2 s for a loaded machine)").isLessThan(2000);
    }
  }

  /** Waits up to {@link #PATIENCE} for the monitor to be RUNNING and returns its state then. */
  private static KafkaStreams.State awaitRunning(StreamsService monitor) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (monitor.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return monitor.state();
  }

  /** The monitor's input and output topics, two partitions each. */
  private static void createTopics(KafkaCluster kafka, PipelineTopics topics) {
    for (String topic : List.of(topics.results(), topics.shadowResults(), topics.metricEvents(), topics.rejected(), topics.feedback(),
        topics.metrics(), topics.alerts())) {
      kafka.createTopic(topic, 2, 1, Map.of());
    }
  }

  private static InferenceResult result(String id, String version, Instant completedAt) {
    return InferenceResult.newBuilder().setRequestId(id).setModel(MODEL).setModelVersion(version).setStatus(Status.OK)
        .setTimings(Timings.newBuilder().setEndToEndMs(12.0).build()).setCompletedAt(completedAt).build();
  }

  private void send(KafkaProducer<byte[], byte[]> producer, AvroSerializer<InferenceResult> serializer, InferenceResult result) {
    producer.send(new ProducerRecord<>(topics.results(), 0, result.getRequestId().getBytes(StandardCharsets.UTF_8),
        serializer.serialize(topics.results(), result)));
  }

  private static List<MetricsSnapshot> awaitFinals(KafkaCluster kafka, SchemaRegistryClient registry, int expected, String topic) {
    List<MetricsSnapshot> finals = new ArrayList<>();
    firstFinalSeenAt = 0;
    try (KafkaConsumer<String, MetricsSnapshot> consumer = new KafkaConsumer<>(Map.<String, Object>of(
        "bootstrap.servers", kafka.bootstrapServers(), "group.id", "monitor-test-" + topic, "auto.offset.reset", "earliest",
        "fetch.max.wait.ms", 50,
        "isolation.level", "read_committed"), new StringDeserializer(), new AvroDeserializer<>(MetricsSnapshot.class, registry))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (finals.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, MetricsSnapshot> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value().getFinal$()) {
            finals.add(record.value());
            firstFinalSeenAt = firstFinalSeenAt == 0 ? System.currentTimeMillis() : firstFinalSeenAt;
          }
        }
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(record -> finals.add(record.value()));
    }
    return finals;
  }
}
