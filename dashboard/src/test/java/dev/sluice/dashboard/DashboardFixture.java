package dev.sluice.dashboard;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A dashboard on its own topic prefix of a real cluster, and a producer of its records. */
final class DashboardFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final PipelineTopics topics = new PipelineTopics("dash-" + UUID.randomUUID().toString().substring(0, 8));
  final RestSchemaRegistryClient registry;
  final AvroSerializer<Object> serializer;
  final KafkaProducer<String, byte[]> producer;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final KafkaCluster kafka;
  private DashboardServer server;

  DashboardFixture(KafkaCluster kafka) {
    this.kafka = kafka;
    kafka.createTopic(topics.metrics(), 3, 1, Map.of());
    kafka.createTopic(topics.alerts(), 1, 1, Map.of());
    this.registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
    this.serializer = new AvroSerializer<>(registry);
    Map<String, Object> props = new HashMap<>(kafka.adminClientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  DashboardServer start() throws IOException {
    server = DashboardServer.start(DashboardConfig.of(0, kafka.adminClientProperties(), topics, kafka.schemaRegistryUrl()));
    return server;
  }

  String url(String path) {
    return server.url("127.0.0.1") + path;
  }

  /** A 10-second window of a version with the given throughput and p99; p50 and p95 follow from p99. */
  static MetricsSnapshot snapshot(String version, Instant start, double throughput, double p99) {
    return MetricsSnapshot.newBuilder().setModel("minilm").setModelVersion(version).setWindowStart(start)
        .setWindowEnd(start.plusSeconds(10)).setRequestCount((long) (throughput * 10)).setThroughputPerS(throughput)
        .setStatusCounts(Map.of("OK", (long) (throughput * 10) - 2, "ERROR", 1L, "EXPIRED", 1L))
        .setRejectionCounts(Map.of("RATE_LIMITED", 3L, "INVALID_TEXT", 1L)).setCacheHits(5)
        .setLatency(LatencySummary.newBuilder().setP50Ms(p99 / 4).setP95Ms(p99 / 2).setP99Ms(p99).setMaxMs(p99 * 1.5).setMeanMs(p99 / 3).build())
        .setMeanBatchSize(throughput / 10).setMeanQueuedMs(3.5).setPaddingRatio(1.2).setTokensPerS(throughput * 12).build();
  }

  /** The snapshot carrying a latency sketch of these values, encoded as the monitor encodes its sketches. */
  static MetricsSnapshot withLatencies(MetricsSnapshot snapshot, double... millis) {
    DDSketch sketch = DDSketches.collapsingLowestDense(0.005, 2048);
    for (double value : millis) {
      sketch.accept(value);
    }
    GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      sketch.encode(output, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return MetricsSnapshot.newBuilder(snapshot).setLatencySketch(ByteBuffer.wrap(output.trimmedCopy())).build();
  }

  void produce(String topic, Object value) throws Exception {
    producer.send(new ProducerRecord<>(topic, "minilm", serializer.serialize(topic, value))).get();
  }

  String get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Polls the condition until it holds or the deadline passes. */
  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    producer.close(Duration.ofSeconds(5));
    registry.close();
  }
}
