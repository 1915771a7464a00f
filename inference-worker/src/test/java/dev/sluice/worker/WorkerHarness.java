package dev.sluice.worker;

import dev.sluice.schemas.testing.MutableClock;
import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.fleet.ModelFleetMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker loop on a MockConsumer and a transactional MockProducer, with fake models, an
 * in-memory schema registry and a clock moved by hand. The test's thread is the loop's thread:
 * it steps the loop with {@link #step()}. Model loads queue up until {@link #runLoads()}.
 */
final class WorkerHarness {
  static final String MODEL = "minilm";
  static final PipelineTopics TOPICS = PipelineTopics.defaults();
  static final String TOPIC = TOPICS.inference(MODEL);
  static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  final MutableClock clock = new MutableClock(START);
  final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final FakeLoader loader = new FakeLoader();
  final Queue<Runnable> loads = new ArrayDeque<>();
  final List<Duration> sleeps = new ArrayList<>();
  final WorkerConfig config;
  final ModelFleet fleet;
  final InferenceWorker worker;
  private final AvroSerializer<Object> avro = new AvroSerializer<>(registry);
  private final Map<Integer, Long> nextOffsets = new HashMap<>();
  private Runnable onSleep = () -> {};

  /** A harness flushing at 4 waiting requests or a 10 ms wait, with the given extra keys; flushes are answered inline. */
  WorkerHarness(Map<String, String> overrides) {
    this(overrides, false);
  }

  /** As above; with {@code inferenceThread}, flushes are answered on the worker's inference thread. */
  WorkerHarness(Map<String, String> overrides, boolean inferenceThread) {
    this(overrides, inferenceThread, Tracing.off());
  }

  /** As above, with the requests' spans made by {@code tracing}. */
  WorkerHarness(Map<String, String> overrides, boolean inferenceThread, Tracing tracing) {
    Map<String, String> properties = new HashMap<>(Map.of(
        "bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused:8081", WorkerConfig.MODEL, MODEL,
        WorkerConfig.ID, "worker-1", WorkerConfig.FLUSH_MAX_RECORDS, "4", WorkerConfig.BATCH_MAX_DELAY_MS, "10",
        WorkerConfig.RETRY_MAX_ATTEMPTS, "3"));
    properties.putAll(overrides);
    config = WorkerConfig.parse(properties);
    fleet = new ModelFleet(MODEL, loader, loads::add);
    new ModelFleetMetrics(fleet).bindTo(meters);
    Sleeper sleeper = duration -> {
      sleeps.add(duration);
      onSleep.run();
    };
    worker = new InferenceWorker(config, new WorkerClients(consumer, producer), fleet, registry,
        new WorkerEnvironment(clock, meters, sleeper, inferenceThread, tracing));
  }

  WorkerHarness() {
    this(Map.of());
  }

  /** What happens when the worker backs off (after the wait is recorded). */
  void onSleep(Runnable action) {
    onSleep = action;
  }

  static ModelDeployment deployment(String version, String artifact, boolean shadow) {
    return new ModelDeployment(MODEL, version, artifact, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, shadow ? 0.0 : 1.0, null, shadow,
        null, List.of(), List.of(), Map.of(), START, null, List.of());
  }

  /** Deploys a version and lets it load at once. */
  void deploy(String version) {
    fleet.deployed(deployment(version, "classpath:models/" + version, false));
    runLoads();
  }

  void runLoads() {
    while (!loads.isEmpty()) {
      loads.poll().run();
    }
  }

  /** The registry feed has read to the end of the registry. */
  void registryRead() {
    fleet.synced(fleet.syncWanted());
  }

  /** Deploys v1, initializes the producer and takes partitions 0 and 1 in the first poll. */
  void startServing() {
    deploy("v1");
    registryRead();
    worker.initialize();
    assignOnNextPoll(0, 1);
    step();
  }

  void assignOnNextPoll(Integer... partitions) {
    List<TopicPartition> assignment = new ArrayList<>();
    Map<TopicPartition, Long> beginnings = new HashMap<>();
    for (int partition : partitions) {
      TopicPartition tp = new TopicPartition(TOPIC, partition);
      assignment.add(tp);
      beginnings.put(tp, 0L);
    }
    consumer.schedulePollTask(() -> {
      consumer.updateBeginningOffsets(beginnings);
      consumer.rebalance(assignment);
    });
  }

  void step() {
    worker.runOnce();
  }

  static PreparedRequest request(String id, String version, String text) {
    return PreparedRequest.newBuilder().setRequestId(id).setModel(MODEL).setModelVersion(version).setTenant("acme")
        .setInput(new TextInput(text)).setContentKey("content-" + id).setCreatedAt(START.minusMillis(50))
        .setPreparedAt(START.minusMillis(40)).setPreprocessMs(1.5).setTraceparent(TRACEPARENT)
        .setAttributes(Map.of("source", "test")).build();
  }

  /** Puts a request on a partition, keyed by its id, at the partition's next offset. */
  ConsumerRecord<byte[], byte[]> offer(int partition, PreparedRequest request) {
    return offerRaw(partition, request.getRequestId().getBytes(StandardCharsets.UTF_8), avro.serialize(TOPIC, request));
  }

  /** Puts a request with headers on a partition, keyed by its id, at the partition's next offset. */
  ConsumerRecord<byte[], byte[]> offer(int partition, PreparedRequest request, Headers headers) {
    return offerRaw(partition, request.getRequestId().getBytes(StandardCharsets.UTF_8), avro.serialize(TOPIC, request), headers);
  }

  /** Gives the replies topic this many partitions, as the consumer's metadata sees it. */
  void replyPartitions(int count) {
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      partitions.add(new PartitionInfo(TOPICS.replies(), i, null, new Node[0], new Node[0]));
    }
    consumer.updatePartitions(TOPICS.replies(), partitions);
  }

  ConsumerRecord<byte[], byte[]> offerRaw(int partition, byte[] key, byte[] value) {
    return offerRaw(partition, key, value, new RecordHeaders());
  }

  ConsumerRecord<byte[], byte[]> offerRaw(int partition, byte[] key, byte[] value, Headers headers) {
    long offset = nextOffsets.merge(partition, 1L, Long::sum) - 1;
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, partition, offset, START.toEpochMilli(), TimestampType.CREATE_TIME,
        key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, java.util.Optional.empty());
    consumer.addRecord(record);
    return record;
  }

  /** Committed results on the results topic. */
  List<InferenceResult> results() {
    return decoded(TOPICS.results(), InferenceResult.class);
  }

  List<InferenceResult> shadowResults() {
    return decoded(TOPICS.shadowResults(), InferenceResult.class);
  }

  List<MetricEvent> metricEvents() {
    return decoded(TOPICS.metricEvents(), MetricEvent.class);
  }

  List<RejectedRequest> deadLetters() {
    return decoded(TOPICS.rejected(), RejectedRequest.class);
  }

  /** Committed records of a topic. */
  List<ProducerRecord<byte[], byte[]>> sent(String topic) {
    return producer.history().stream().filter(record -> record.topic().equals(topic)).toList();
  }

  private <T> List<T> decoded(String topic, Class<T> type) {
    AvroDeserializer<T> reader = new AvroDeserializer<>(type, registry);
    return sent(topic).stream().map(record -> reader.deserialize(topic, record.value())).toList();
  }
}
