package dev.sluice.topology.monitor;

import dev.sluice.avro.Alert;
import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.testing.MutableClock;
import dev.sluice.schemas.topics.PipelineTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The monitor topology from {@link MonitorTopology#build} under a TopologyTestDriver with an
 * in-memory schema registry and a hand-moved clock. Event time is each record's own time field,
 * so tests move stream time by the times they give their records; {@link #tick} advances it with
 * a record of an unrelated model.
 */
final class MonitorHarness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String MODEL = "sentiment";
  static final String TICK_MODEL = "clock";
  /** One 10 s window, final snapshots only, labels joined within 30 s. */
  static final Map<String, String> TEN_SECOND_WINDOWS_WITH_LABELS = Map.of("monitor.window.sizes.ms", "10000",
      "monitor.early.update.interval.ms", "0", "monitor.quality.join.window.ms", "30000");

  final MutableClock clock = new MutableClock(T0);
  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final MonitorConfig config;
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], InferenceResult> results;
  final TestInputTopic<byte[], InferenceResult> shadowResults;
  final TestInputTopic<byte[], MetricEvent> events;
  final TestInputTopic<byte[], RejectedRequest> rejected;
  final TestInputTopic<byte[], Feedback> feedback;
  final TestOutputTopic<String, MetricsSnapshot> metrics;
  final TestOutputTopic<String, Alert> alerts;
  private final AtomicLong ids = new AtomicLong();

  MonitorHarness(Path stateDir, Map<String, String> overrides) {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", "unused:9092");
    properties.put("schema.registry.url", "http://unused:8081");
    properties.put("state.dir", stateDir.toString());
    properties.putAll(overrides);
    config = MonitorConfig.parse(properties);
    PipelineTopics topics = config.topics();
    driver = new TopologyTestDriver(MonitorTopology.build(config, registry, clock, meters), config.streamsProperties(), T0);
    results = driver.createInputTopic(topics.results(), new ByteArraySerializer(), new AvroSerializer<>(registry));
    shadowResults = driver.createInputTopic(topics.shadowResults(), new ByteArraySerializer(), new AvroSerializer<>(registry));
    events = driver.createInputTopic(topics.metricEvents(), new ByteArraySerializer(), new AvroSerializer<>(registry));
    rejected = driver.createInputTopic(topics.rejected(), new ByteArraySerializer(), new AvroSerializer<>(registry));
    feedback = driver.createInputTopic(topics.feedback(), new ByteArraySerializer(), new AvroSerializer<>(registry));
    metrics = driver.createOutputTopic(topics.metrics(), new StringDeserializer(),
        new AvroDeserializer<>(MetricsSnapshot.class, registry));
    alerts = driver.createOutputTopic(topics.alerts(), new StringDeserializer(), new AvroDeserializer<>(Alert.class, registry));
  }

  static InferenceResult.Builder result(String version, long atMs, double latencyMs) {
    return InferenceResult.newBuilder().setRequestId("r-" + java.util.UUID.randomUUID()).setModel(MODEL).setModelVersion(version)
        .setStatus(Status.OK).setTimings(Timings.newBuilder().setEndToEndMs(latencyMs).build())
        .setCompletedAt(T0.plusMillis(atMs));
  }

  static InferenceResult.Builder classified(String requestId, String version, long atMs, String top, String other) {
    return result(version, atMs, 5.0).setRequestId(requestId)
        .setOutput(new ClassScores(List.of(new ClassScore(other, 0.2f), new ClassScore(top, 0.8f))));
  }

  void send(InferenceResult.Builder result) {
    results.pipeInput(key(), result.build());
  }

  void sendShadow(InferenceResult.Builder result) {
    shadowResults.pipeInput(key(), result.setShadow(true).build());
  }

  void sendBatch(String version, long atMs, int size, long realTokens, long paddedTokens) {
    events.pipeInput(key(), MetricEvent.newBuilder().setKind(MetricKind.BATCH).setModel(MODEL).setModelVersion(version)
        .setEventTime(T0.plusMillis(atMs)).setBatchSize(size).setRealTokens(realTokens).setPaddedTokens(paddedTokens)
        .setOkCount(size).build());
  }

  void sendRequestEvent(String version, long atMs, double queuedMs) {
    events.pipeInput(key(), MetricEvent.newBuilder().setKind(MetricKind.REQUEST).setModel(MODEL).setModelVersion(version)
        .setEventTime(T0.plusMillis(atMs)).setQueuedMs(queuedMs).setStatus(Status.OK).build());
  }

  void sendRejection(String model, ReasonCode reason, long atMs) {
    rejected.pipeInput(key(), RejectedRequest.newBuilder().setModel(model).setReason(reason).setStage(Stage.VALIDATE)
        .setDetail("test").setRejectedAt(T0.plusMillis(atMs)).build());
  }

  void sendFeedback(String requestId, String label, long atMs) {
    feedback.pipeInput(key(), Feedback.newBuilder().setRequestId(requestId).setModel(MODEL).setLabel(label)
        .setObservedAt(T0.plusMillis(atMs)).build());
  }

  /** Moves stream time to {@code atMs} with a REQUEST event of an unrelated model. */
  void tick(long atMs) {
    events.pipeInput(key(), MetricEvent.newBuilder().setKind(MetricKind.REQUEST).setModel(TICK_MODEL).setModelVersion("v")
        .setEventTime(T0.plusMillis(atMs)).build());
  }

  /** Every snapshot produced so far of the test model (the tick model's left out). */
  List<MetricsSnapshot> snapshots() {
    return metrics.readValuesToList().stream().filter(s -> s.getModel().equals(MODEL) || s.getModel().equals("*")).toList();
  }

  private byte[] key() {
    return ("k" + ids.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
  }
}
