package dev.sluice.topology.ingress;

import dev.sluice.schemas.testing.MutableClock;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Status;
import dev.sluice.avro.TextInput;
import dev.sluice.avro.Timings;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The ingress topology from {@link IngressTopology#build} under a TopologyTestDriver, with an
 * in-memory schema registry, a hand-moved clock and a simple meter registry, plus helpers to
 * deploy models and send requests.
 */
final class IngressHarness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String MODEL = "minilm";

  final MutableClock clock = new MutableClock(T0);
  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final IngressConfig config;
  final PipelineTopics topics;
  final Topology topology;
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> requests;
  final TestInputTopic<String, ModelDeployment> models;
  final TestInputTopic<byte[], InferenceResult> workerResults;
  final TestOutputTopic<byte[], RejectedRequest> rejected;
  final TestOutputTopic<byte[], InferenceResult> results;
  final TestOutputTopic<String, InferenceResult> resultCache;
  private final AvroSerializer<InferenceRequest> requestSerializer = new AvroSerializer<>(registry);
  private final AvroDeserializer<PreparedRequest> preparedDeserializer = new AvroDeserializer<>(PreparedRequest.class, registry);

  IngressHarness(Path stateDir) {
    this(stateDir, Map.of());
  }

  IngressHarness(Path stateDir, Map<String, String> overrides) {
    this(stateDir, overrides, Tracing.off());
  }

  IngressHarness(Path stateDir, Map<String, String> overrides, Tracing tracing) {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", "unused:9092");
    properties.put("schema.registry.url", "http://unused:8081");
    properties.put("state.dir", stateDir.toString());
    properties.put(IngressConfig.REQUEST_PARTITIONS, "1");
    properties.putAll(overrides);
    config = IngressConfig.parse(properties);
    topics = config.topics();
    topology = IngressTopology.build(config, registry, clock, meters, tracing);
    driver = new TopologyTestDriver(topology, config.streamsProperties(), T0);
    requests = driver.createInputTopic(topics.requests(), new ByteArraySerializer(), new ByteArraySerializer());
    models = driver.createInputTopic(topics.models(), new StringSerializer(), new AvroSerializer<>(registry));
    workerResults = driver.createInputTopic(topics.results(), new ByteArraySerializer(), new AvroSerializer<>(registry));
    rejected = driver.createOutputTopic(topics.rejected(), new ByteArrayDeserializer(), new AvroDeserializer<>(RejectedRequest.class, registry));
    results = driver.createOutputTopic(topics.results(), new ByteArrayDeserializer(), new AvroDeserializer<>(InferenceResult.class, registry));
    resultCache = driver.createOutputTopic(topics.resultCache(), new StringDeserializer(),
        new AvroDeserializer<>(InferenceResult.class, registry));
  }

  /** The prepared requests routed to a model's inference topic. */
  TestOutputTopic<byte[], PreparedRequest> inference(String model) {
    return driver.createOutputTopic(topics.inference(model), new ByteArrayDeserializer(), preparedDeserializer);
  }

  static ModelDeployment.Builder deployment(String model, String version, double weight) {
    return ModelDeployment.newBuilder()
        .setModel(model).setVersion(version).setArtifactUri("classpath:models/" + model)
        .setTrafficWeight(weight).setShadow(false).setDeployedAt(T0);
  }

  void deploy(String model, String version, double weight) {
    deploy(deployment(model, version, weight).build());
  }

  void deploy(ModelDeployment deployment) {
    models.pipeInput(new ModelKey(deployment.getModel(), deployment.getVersion()).encode(), deployment);
  }

  void deployWithLimits(String model, String version, ModelLimits limits) {
    deploy(deployment(model, version, 1.0).setLimits(limits).build());
  }

  void undeploy(String model, String version) {
    models.pipeInput(new ModelKey(model, version).encode(), null);
  }

  static InferenceRequest.Builder text(String requestId, String text) {
    return InferenceRequest.newBuilder().setRequestId(requestId).setModel(MODEL).setInput(new TextInput(text)).setCreatedAt(T0);
  }

  byte[] encode(InferenceRequest request) {
    return requestSerializer.serialize(topics.requests(), request);
  }

  void send(String key, InferenceRequest request) {
    sendRaw(key == null ? null : key.getBytes(StandardCharsets.UTF_8), encode(request), new RecordHeaders());
  }

  void send(String key, InferenceRequest.Builder request) {
    send(key, request.build());
  }

  void sendRaw(byte[] key, byte[] value, Headers headers) {
    requests.pipeInput(new TestRecord<>(key, value, headers, clock.instant()));
  }

  /** A worker's OK answer to a prepared request, as it would appear on the results topic. */
  void answer(PreparedRequest request, List<Float> vector) {
    answer(request.getRequestId(), request.getModelVersion(), request.getTenant(), request.getContentKey(), request.getShadow(), vector);
  }

  /** A worker's OK answer, completed now, to a request this test need not have sent through the ingress. */
  void answer(String requestId, String version, String tenant, String contentKey, boolean shadow, List<Float> vector) {
    InferenceResult result = InferenceResult.newBuilder()
        .setRequestId(requestId).setModel(MODEL).setModelVersion(version)
        .setStatus(Status.OK).setOutput(new Embedding(vector)).setCached(false).setShadow(shadow)
        .setContentKey(contentKey).setTimings(new Timings(1.0, 1.0, 5.0, 10.0)).setBatchSize(4)
        .setWorkerId("worker-0").setTenant(tenant).setCompletedAt(clock.instant())
        .build();
    workerResults.pipeInput(utf8(requestId), result);
  }

  double count(String meter, String... tags) {
    return meters.find(meter).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
  }
}
