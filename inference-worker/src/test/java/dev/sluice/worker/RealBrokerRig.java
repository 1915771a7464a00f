package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.platform.topics.ReadToEnd;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.worker.model.ModelLoader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Workers on a real broker and schema registry, with fake models: topics under their own prefix,
 * a producer of prepared requests and deployments, and a read_committed reader of the results.
 */
final class RealBrokerRig implements AutoCloseable {
  static final String MODEL = "minilm";
  static final Duration PATIENCE = Duration.ofSeconds(90);

  private final KafkaCluster kafka;
  private final PipelineTopics topics;
  private final RestSchemaRegistryClient registry;
  private final AvroSerializer<Object> avro;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> results;
  private final List<TopicPartition> resultPartitions = new ArrayList<>();
  private final List<InferenceResult> read = new ArrayList<>();
  private final List<WorkerService> workers = new ArrayList<>();

  RealBrokerRig(KafkaCluster kafka, String prefix, int inferencePartitions) {
    this.kafka = kafka;
    this.topics = new PipelineTopics(prefix);
    kafka.createTopic(topics.inference(MODEL), inferencePartitions, 1, Map.of());
    for (String topic : List.of(topics.results(), topics.shadowResults(), topics.metricEvents(), topics.rejected())) {
      kafka.createTopic(topic, 2, 1, Map.of());
    }
    kafka.createTopic(topics.models(), 1, 1, Map.of("cleanup.policy", "compact"));
    kafka.createTopic(topics.modelStatus(), 1, 1, Map.of("cleanup.policy", "compact"));
    registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
    avro = new AvroSerializer<>(registry);
    producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
    results = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (int partition = 0; partition < 2; partition++) {
      resultPartitions.add(new TopicPartition(topics.results(), partition));
    }
    results.assign(resultPartitions);
    results.seekToBeginning(resultPartitions);
  }

  void deploy(String version) {
    deploy(version, "classpath:models/" + version);
  }

  /** Deploys {@code version} of the model from an artifact URI (e.g. the bundled real model). */
  void deploy(String version, String artifactUri) {
    ModelDeployment deployment = new ModelDeployment(MODEL, version, artifactUri, Engine.ONNX_RUNTIME,
        Task.TEXT_EMBEDDING, 1.0, null, false, null, List.of(), List.of(), Map.of(), Instant.now(), null, List.of());
    send(topics.models(), new ModelKey(MODEL, version).encode(), avro.serialize(topics.models(), deployment));
  }

  /** Undeploys {@code version}: a tombstone on the registry topic. */
  void undeploy(String version) {
    send(topics.models(), new ModelKey(MODEL, version).encode(), null);
  }

  /**
   * The load states on the status topic as a compacted read sees them: key to the latest value,
   * a tombstone removing the key.
   */
  Map<String, ModelLoadState> loadStates() {
    AvroDeserializer<ModelLoadState> reader = new AvroDeserializer<>(ModelLoadState.class, registry);
    Map<String, ModelLoadState> states = new java.util.TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      ReadToEnd.read(consumer, topics.modelStatus(), PATIENCE, record -> {
        if (record.value() == null) {
          states.remove(record.key());
        } else {
          states.put(record.key(), reader.deserialize(record.topic(), record.value()));
        }
      });
    }
    return states;
  }

  /** Starts a worker (flushes at 16 requests or 5 ms) and waits until it is ready. */
  WorkerService startWorker(String workerId) throws IOException {
    return startWorker(workerId, new FakeLoader());
  }

  /** Starts a worker with the given model loader and waits until it is ready. */
  WorkerService startWorker(String workerId, ModelLoader loader) throws IOException {
    WorkerService worker = WorkerService.start(WorkerConfig.parse(workerProperties(workerId)), loader,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    workers.add(worker);
    await(() -> worker.worker().readiness().ready(), () -> "worker " + workerId + " ready: " + worker.worker().readiness());
    return worker;
  }

  /** The settings of a worker on this rig: flushes at 16 requests or 5 ms, an ephemeral HTTP port. */
  Map<String, String> workerProperties(String workerId) {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    properties.put("schema.registry.url", kafka.schemaRegistryUrl());
    properties.put("topic.prefix", topics.prefix());
    properties.put(WorkerConfig.MODEL, MODEL);
    properties.put(WorkerConfig.ID, workerId);
    properties.put(WorkerConfig.HTTP_PORT, "0");
    properties.put(WorkerConfig.FLUSH_MAX_RECORDS, "16");
    properties.put(WorkerConfig.BATCH_MAX_DELAY_MS, "5");
    properties.put(WorkerConfig.SHUTDOWN_TIMEOUT_MS, "30000");
    return properties;
  }

  /** Sends prepared requests {@code req-from} to {@code req-(to - 1)}, keyed by their ids. */
  void sendRequests(int from, int to) {
    sendRequests(from, to, "v1", i -> "sentence number " + i + " " + "word ".repeat(i % 7));
  }

  /** Sends prepared requests {@code req-from} to {@code req-(to - 1)} of {@code version}, with the text of each index. */
  void sendRequests(int from, int to, String version, IntFunction<String> text) {
    String topic = topics.inference(MODEL);
    for (int i = from; i < to; i++) {
      String id = "req-" + i;
      PreparedRequest request = PreparedRequest.newBuilder().setRequestId(id).setModel(MODEL).setModelVersion(version)
          .setInput(new TextInput(text.apply(i))).setContentKey("content-" + i)
          .setCreatedAt(Instant.now()).setPreparedAt(Instant.now()).build();
      producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), avro.serialize(topic, request)));
    }
    producer.flush();
  }

  /** Distinct request ids among the committed results read so far, after one more read. */
  long answeredSoFar() {
    AvroDeserializer<InferenceResult> reader = new AvroDeserializer<>(InferenceResult.class, registry);
    for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(100))) {
      read.add(reader.deserialize(record.topic(), record.value()));
    }
    return read.stream().map(InferenceResult::getRequestId).distinct().count();
  }

  /** Reads committed results until {@code count} distinct requests are answered; returns all read so far. */
  List<InferenceResult> awaitResults(int count) {
    AvroDeserializer<InferenceResult> reader = new AvroDeserializer<>(InferenceResult.class, registry);
    await(() -> {
      for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(100))) {
        read.add(reader.deserialize(record.topic(), record.value()));
      }
      return read.stream().map(InferenceResult::getRequestId).distinct().count() >= count;
    }, () -> read.size() + " results read, " + count + " wanted");
    return List.copyOf(read);
  }

  /** Reads every committed result up to the current end of the results topic. */
  List<InferenceResult> readToEnd() {
    AvroDeserializer<InferenceResult> reader = new AvroDeserializer<>(InferenceResult.class, registry);
    Map<TopicPartition, Long> end = results.endOffsets(resultPartitions);
    await(() -> {
      for (ConsumerRecord<byte[], byte[]> record : results.poll(Duration.ofMillis(100))) {
        read.add(reader.deserialize(record.topic(), record.value()));
      }
      return end.entrySet().stream().allMatch(e -> results.position(e.getKey()) >= e.getValue());
    }, () -> "reading the results to " + end);
    return List.copyOf(read);
  }

  static Map<String, Long> countsById(List<InferenceResult> results) {
    return results.stream().collect(Collectors.groupingBy(InferenceResult::getRequestId, Collectors.counting()));
  }

  static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within %s: %s", PATIENCE, what.get()).isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not send to " + topic, e);
    }
  }

  @Override
  public void close() {
    workers.forEach(WorkerService::stop);
    producer.close();
    results.close();
    registry.close();
  }
}
