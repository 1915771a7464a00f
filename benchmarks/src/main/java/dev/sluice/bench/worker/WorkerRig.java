package dev.sluice.bench.worker;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.runtime.DjlModelLoader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the worker benchmarks share: a real in-process broker and registry, the bundled fp32 model
 * as version v1, a producer of prepared requests straight onto the inference topic, workers started
 * with any {@code worker.*} settings, and an open-loop load with its latency.
 */
final class WorkerRig implements AutoCloseable {
  static final String MODEL = "minilm";
  static final String MINILM = "classpath:models/all-minilm-l6-v2";
  static final Duration PATIENCE = Duration.ofMinutes(3);

  /**
   * Latency of an open-loop run, in milliseconds.
   *
   * @param seenP50 commit seen by a read_committed reader minus created_at, median
   * @param seenP99 the same, 99th percentile
   * @param workerP50 the result's end_to_end_ms (completed_at minus created_at), median
   * @param workerP99 the same, 99th percentile
   */
  record Latency(long seenP50, long seenP99, long workerP50, long workerP99) {}

  final List<String> sentences;
  final KafkaCluster kafka;
  final RestSchemaRegistryClient registry;
  private final AvroSerializer<Object> avro;
  private final KafkaProducer<byte[], byte[]> producer;

  WorkerRig(List<String> sentences, KafkaCluster kafka) {
    this.sentences = sentences;
    this.kafka = kafka;
    this.registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
    this.avro = new AvroSerializer<>(registry);
    this.producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
        "linger.ms", "5"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The record in Avro with the registry's schema id, as the pipeline's serializers write it. */
  byte[] encode(String topic, Object record) {
    return avro.serialize(topic, record);
  }

  static ModelDeployment deployment() {
    return new ModelDeployment(MODEL, "v1", MINILM, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, null, false, null, List.of(), List.of(),
        Map.of(), Instant.now(), null, List.of());
  }

  List<Object> inputs() {
    return sentences.stream().map(s -> (Object) new TextInput(s)).toList();
  }

  PipelineTopics topics(String prefix, int partitions) {
    PipelineTopics topics = new PipelineTopics(prefix);
    kafka.createTopic(topics.inference(MODEL), partitions, 1, Map.of());
    for (String topic : List.of(topics.results(), topics.shadowResults(), topics.metricEvents(), topics.rejected())) {
      kafka.createTopic(topic, 2, 1, Map.of());
    }
    kafka.createTopic(topics.models(), 1, 1, Map.of("cleanup.policy", "compact"));
    return topics;
  }

  void produceRequests(PipelineTopics topics, String idPrefix, int from, int to) {
    String topic = topics.inference(MODEL);
    for (int i = from; i < to; i++) {
      sendRequest(topic, idPrefix + i, sentences.get(i % sentences.size()));
    }
    producer.flush();
  }

  private void sendRequest(String topic, String id, String text) {
    Instant now = Instant.now();
    PreparedRequest request = PreparedRequest.newBuilder().setRequestId(id).setModel(MODEL).setModelVersion("v1")
        .setInput(new TextInput(text)).setContentKey("content-" + id).setCreatedAt(now).setPreparedAt(now).build();
    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), avro.serialize(topic, request)));
  }

  /** Deploys v1 on the topics' registry and starts a worker with these settings on top of the rig's. */
  WorkerService startWorker(PipelineTopics topics, DjlModelLoader loader, Map<String, String> settings) throws Exception {
    producer.send(new ProducerRecord<>(topics.models(), new ModelKey(MODEL, "v1").encode().getBytes(StandardCharsets.UTF_8),
        avro.serialize(topics.models(), deployment()))).get();
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    properties.put("schema.registry.url", kafka.schemaRegistryUrl());
    properties.put("topic.prefix", topics.prefix());
    properties.put(WorkerConfig.MODEL, MODEL);
    properties.put(WorkerConfig.ID, "bench-worker");
    properties.put(WorkerConfig.HTTP_PORT, "0");
    properties.putAll(settings);
    return WorkerService.start(WorkerConfig.parse(properties), loader, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * An open-loop producer at {@code rate} requests/s for {@code seconds} (ids {@code lat-<run>-<i>});
   * latency = the read_committed reader's commit seen minus created_at, and the result's own
   * end-to-end time.
   */
  Latency openLoop(PipelineTopics topics, ResultReader reader, String run, double rate, int seconds) {
    int total = (int) (rate * seconds);
    String topic = topics.inference(MODEL);
    int before = reader.seen.size();
    reader.latenciesMs.clear();
    reader.completedMs.clear();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      while (System.nanoTime() < due) {
        reader.poll(Duration.ZERO);
        LockSupport.parkNanos(Math.min(due - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1)));
      }
      sendRequest(topic, "lat-" + run + "-" + i, sentences.get(i % sentences.size()));
    }
    producer.flush();
    await(() -> reader.poll() >= before + total);
    long[] seen = reader.latenciesMs.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] completed = reader.completedMs.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Latency(pct(seen, 50), pct(seen, 99), pct(completed, 50), pct(completed, 99));
  }

  private static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  }

  static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + PATIENCE);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  @Override
  public void close() {
    producer.close();
    registry.close();
  }
}
