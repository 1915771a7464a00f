package dev.sluice.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import dev.sluice.topology.app.StreamsService;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.ingress.IngressService;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelInfo;
import dev.sluice.worker.model.ModelRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request through the real ingress and a worker (with a stand-in model) on a real broker, both
 * tracing into one in-memory exporter: the request's Kafka headers name a span of the producer's,
 * and the spans of the ingress and the worker, and the result's {@code traceparent}, form one
 * parent-child chain in that trace.
 */
@RealKafka(schemaRegistry = true)
class TraceChainTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String MODEL = "minilm";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SENT_SPAN_ID = "00f067aa0ba902b7";

  @TempDir Path stateDir;
  private final PipelineTopics topics = PipelineTopics.defaults();

  @Test
  void ingressAndWorkerSpansDescendFromTheSentTraceparentAndTheResultCarriesTheTrace(KafkaCluster kafka) throws Exception {
    createTopics(kafka);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<AutoCloseable> started = new ArrayList<>();
    try (Tracing tracing = Tracing.with(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build());
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
            "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      AvroSerializer<Object> avro = new AvroSerializer<>(registry);
      producer.send(new ProducerRecord<>(topics.models(), new ModelKey(MODEL, "v1").encode().getBytes(StandardCharsets.UTF_8),
          avro.serialize(topics.models(), new ModelDeployment(MODEL, "v1", "classpath:stand-in", Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING,
              1.0, null, false, null, List.of(), List.of(), Map.of(), Instant.now(), null, List.of())))).get(30, TimeUnit.SECONDS);

      StreamsService ingress = IngressService.start(IngressService.withRequestPartitions(IngressConfig.parse(ingressProperties(kafka)),
          Duration.ofSeconds(30)), tracing);
      started.add(0, ingress);
      WorkerService worker = WorkerService.start(WorkerConfig.parse(workerProperties(kafka)), deployment -> new StandInRunner(),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), tracing);
      started.add(0, worker);
      await(() -> ingress.state() == KafkaStreams.State.RUNNING && worker.worker().readiness().ready(),
          () -> "the ingress running (" + ingress.state() + ") and the worker ready (" + worker.worker().readiness() + ")");

      InferenceRequest request = InferenceRequest.newBuilder().setRequestId("traced-1").setModel(MODEL)
          .setInput(new TextInput("a traced sentence")).setCreatedAt(Instant.now()).build();
      RecordHeaders headers = new RecordHeaders();
      headers.add("traceparent", ("00-" + TRACE_ID + "-" + SENT_SPAN_ID + "-01").getBytes(StandardCharsets.UTF_8));
      headers.add("tracestate", "producer=1".getBytes(StandardCharsets.UTF_8));
      producer.send(new ProducerRecord<>(topics.requests(), null, "traced-1".getBytes(StandardCharsets.UTF_8),
          avro.serialize(topics.requests(), request), headers)).get(30, TimeUnit.SECONDS);

      ConsumerRecord<byte[], byte[]> result = awaitResult(kafka);
      await(() -> spanNamed(exporter, "result produce").isPresent(), () -> "the worker's spans: " + exporter.getFinishedSpanItems());

      SpanData ingressSpan = spanNamed(exporter, "ingress").orElseThrow();
      assertThat(ingressSpan.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(ingressSpan.getParentSpanId()).as("the ingress span's parent is the span the producer sent").isEqualTo(SENT_SPAN_ID);
      assertThat(ingressSpan.getSpanContext().getTraceState().get("producer")).isEqualTo("1");
      for (String name : List.of("queue wait", "batch inference", "result produce")) {
        SpanData span = spanNamed(exporter, name).orElseThrow(() -> new AssertionError("no span " + name));
        assertThat(span.getTraceId()).as(name).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).as("%s is a child of the ingress span", name).isEqualTo(ingressSpan.getSpanId());
      }
      SpanData produce = spanNamed(exporter, "result produce").orElseThrow();
      assertThat(traceparents(result)).as("the result record's traceparent names the worker's result produce span")
          .containsExactly("00-" + TRACE_ID + "-" + produce.getSpanId() + "-01");
      assertThat(exporter.getFinishedSpanItems()).as("every span of the request in its trace")
          .filteredOn(span -> span.getAttributes().asMap().values().contains("traced-1") || span.getName().equals("ingress"))
          .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
    } finally {
      for (AutoCloseable component : started) {
        component.close();
      }
    }
  }

  private void createTopics(KafkaCluster kafka) {
    for (String topic : List.of(topics.requests(), topics.reroutedRequests(), topics.rejected(), topics.results(), topics.replies(),
        topics.inference(MODEL), topics.shadowResults(), topics.metricEvents())) {
      kafka.createTopic(topic, 1, 1, Map.of());
    }
    for (String topic : List.of(topics.models(), topics.modelStatus(), topics.resultCache())) {
      kafka.createTopic(topic, 1, 1, Map.of("cleanup.policy", "compact"));
    }
  }

  private Map<String, String> ingressProperties(KafkaCluster kafka) {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    properties.put("schema.registry.url", kafka.schemaRegistryUrl());
    properties.put("state.dir", stateDir.toString());
    properties.put(IngressConfig.HTTP_PORT, "0");
    return properties;
  }

  private static Map<String, String> workerProperties(KafkaCluster kafka) {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    properties.put("schema.registry.url", kafka.schemaRegistryUrl());
    properties.put(WorkerConfig.MODEL, MODEL);
    properties.put(WorkerConfig.ID, "traced-worker");
    properties.put(WorkerConfig.HTTP_PORT, "0");
    properties.put(WorkerConfig.BATCH_MAX_DELAY_MS, "5");
    return properties;
  }

  /** The committed result of the request. */
  private ConsumerRecord<byte[], byte[]> awaitResult(KafkaCluster kafka) {
    try (KafkaConsumer<byte[], byte[]> results = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
        "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition(topics.results(), 0));
      results.assign(partitions);
      results.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      await(() -> {
        results.poll(Duration.ofMillis(100)).forEach(read::add);
        return !read.isEmpty();
      }, () -> "a result on " + topics.results());
      return read.get(0);
    }
  }

  private static List<String> traceparents(ConsumerRecord<byte[], byte[]> record) {
    List<String> values = new ArrayList<>();
    for (Header header : record.headers().headers("traceparent")) {
      values.add(new String(header.value(), StandardCharsets.UTF_8));
    }
    return values;
  }

  private static Optional<SpanData> spanNamed(InMemorySpanExporter exporter, String name) {
    return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst();
  }

  private static void await(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within %s: %s", PATIENCE, what.get()).isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** A stand-in for the model: a fixed unit vector per input. */
  private static final class StandInRunner implements ModelRunner {
    @Override
    public ModelInfo info() {
      return new ModelInfo(MODEL, "v1", Task.TEXT_EMBEDDING, "stand-in", "cpu", 1, Duration.ZERO);
    }

    @Override
    public BatchResult run(List<Object> inputs) {
      List<Object> outputs = new ArrayList<>();
      inputs.forEach(input -> outputs.add(new Embedding(List.of(0.6f, 0.8f))));
      return new BatchResult(outputs, inputs.size(), inputs.size(), 1_000);
    }

    @Override
    public void close() {
      // nothing to release
    }
  }
}
