package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.WireFormat;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingress on a real broker with the real schema registry, under exactly-once: a mixed stream
 * of valid, invalid, retried, repeated-content and undecodable records, each accounted for as
 * exactly one of routed, rejected, dropped as a retry, or answered from the cache, as
 * read_committed consumers see it. Requests are keyed by request id, not by idempotency key, and
 * half the retries reuse their original's record key while half come under their own: each is
 * passed to the task that owns its idempotency key, over three partitions; repeats of
 * content are sent to a partition other than their original's, so only the global result cache
 * can answer them.
 */
@RealKafka(schemaRegistry = true)
class IngressOnRealBrokerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String MODEL = "minilm";
  private static final int VALID = 40;
  private static final int RETRIES = 10;
  private static final int REPEATS = 12;
  /** Requests are spread over tenants by their content, so a repeat lands with the tenant of its original. */
  private static final List<String> TENANTS = List.of("acme", "globex");

  @TempDir Path stateDir;
  private final PipelineTopics topics = PipelineTopics.defaults();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private SchemaRegistryClient registry;
  private KafkaProducer<byte[], byte[]> producer;
  private AvroSerializer<Object> avro;
  private KafkaStreams streams;

  @BeforeEach
  void startIngress(KafkaCluster kafka) throws InterruptedException {
    for (String topic : List.of(topics.requests(), topics.reroutedRequests(), topics.rejected(), topics.results(), topics.replies(), topics.inference(MODEL))) {
      kafka.createTopic(topic, 3, 1, Map.of());
    }
    kafka.createTopic(topics.models(), 1, 1, Map.of("cleanup.policy", "compact"));
    kafka.createTopic(topics.resultCache(), 3, 1, Map.of("cleanup.policy", "compact"));
    registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
    producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer());
    avro = new AvroSerializer<>(registry);
    send(topics.models(), new ModelKey(MODEL, "v1").encode(), avro.serialize(topics.models(), new ModelDeployment(MODEL, "v1",
        "classpath:minilm", Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, null, false, null,
        List.of(), List.of(), Map.of(), Instant.now(), null, List.of())));

    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    properties.put("schema.registry.url", kafka.schemaRegistryUrl());
    properties.put("state.dir", stateDir.toString());
    properties.put("ingress.max.payload.bytes", "4096");
    properties.put("commit.interval.ms", "100");
    IngressConfig config = RequestTopicPartitions.resolve(IngressConfig.parse(properties), Duration.ofSeconds(30));
    assertThat(config.requiredRequestPartitions()).as("looked up from the broker").isEqualTo(3);
    streams = new KafkaStreams(IngressTopology.build(config, registry, Clock.systemUTC(), meters), config.streamsProperties());
    streams.start();
    await(() -> streams.state() == KafkaStreams.State.RUNNING, "the ingress to run");
  }

  @AfterEach
  void stop() {
    streams.close(Duration.ofSeconds(30));
    producer.close();
    registry.close();
  }

  @Test
  void everyInputEndsAsExactlyOneOutcome(KafkaCluster kafka) throws Exception {
    Outcomes outcomes = new Outcomes(kafka, registry, topics, MODEL);
    Set<String> expectedRouted = new HashSet<>();
    for (int i = 0; i < VALID; i++) {
      sendRequest(request("valid-" + i, "sentence number " + i + " about rivers", "idem-" + i));
      expectedRouted.add("valid-" + i);
    }
    for (int i = 0; i < RETRIES; i++) {
      InferenceRequest retry = request("retry-" + i, "sentence number " + i + " about rivers", "idem-" + i);
      String key = i % 2 == 0 ? "valid-" + i : "retry-" + i;
      send(topics.requests(), key, avro.serialize(topics.requests(), retry));
    }
    Map<String, ReasonCode> expectedRejections = sendBadInput();

    List<PreparedRequest> routed = outcomes.awaitRouted(VALID);
    answerAsAWorker(routed);
    await(() -> meters.counter(IngressMetrics.CACHE_FILLS).count() >= VALID, "the results to reach the cache");
    Map<String, Integer> originalPartitions = new HashMap<>();
    routed.forEach(prepared -> originalPartitions.put(prepared.getRequestId(), prepared.getSource().getPartition()));
    Set<String> expectedCached = new HashSet<>();
    for (int i = 0; i < REPEATS; i++) {
      InferenceRequest repeat = request("repeat-" + i, "sentence number " + i + "\tabout   rivers", null);
      int otherPartition = (originalPartitions.get("valid-" + i) + 1) % 3;
      send(topics.requests(), otherPartition, repeat.getRequestId(), avro.serialize(topics.requests(), repeat));
      expectedCached.add("repeat-" + i);
    }

    Map<String, ReasonCode> rejected = outcomes.awaitRejected(expectedRejections.size());
    List<InferenceResult> cached = outcomes.awaitCached(REPEATS);
    await(() -> meters.counter(IngressMetrics.DEDUP_DROPS).count() >= RETRIES, "the retries to be dropped");

    assertThat(routed).extracting(PreparedRequest::getRequestId).containsExactlyInAnyOrderElementsOf(expectedRouted);
    assertThat(rejected).isEqualTo(expectedRejections);
    assertThat(cached).extracting(InferenceResult::getRequestId).containsExactlyInAnyOrderElementsOf(expectedCached);
    assertThat(cached).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(Status.OK));
    assertThat(meters.counter(IngressMetrics.DEDUP_DROPS).count()).isEqualTo(RETRIES);
    int inputs = VALID + RETRIES + expectedRejections.size() + REPEATS;
    assertThat(routed.size() + rejected.size() + cached.size() + (int) meters.counter(IngressMetrics.DEDUP_DROPS).count())
        .as("every input accounted for exactly once").isEqualTo(inputs);
    assertThat(outcomes.routedAgain()).as("nothing routed twice or late").isEmpty();
    assertThat(meters.counter(IngressMetrics.REROUTED).count()).as("requests keyed by request id, not by idempotency key").isPositive();
  }

  /** One record of each bad kind; returns the request id (or a marker for undecodable ones) and the expected reason. */
  private Map<String, ReasonCode> sendBadInput() {
    Map<String, ReasonCode> expected = new HashMap<>();
    sendRaw("garbage", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
    expected.put("raw:garbage", ReasonCode.DESERIALIZATION_FAILED);
    byte[] good = avro.serialize(topics.requests(), request("wrong-magic", "hello", null));
    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 7;
    sendRaw("wrong-magic", wrongMagic);
    expected.put("raw:wrong-magic", ReasonCode.DESERIALIZATION_FAILED);
    byte[] unknownId = WireFormat.frame(987_654, new byte[] {2, 'x'});
    sendRaw("unknown-id", unknownId);
    expected.put("raw:unknown-id", ReasonCode.DESERIALIZATION_FAILED);

    send(topics.requests(), "no-id", avro.serialize(topics.requests(), request("", "no id", null)));
    expected.put("raw:no-id", ReasonCode.MISSING_FIELD);
    sendRequest(InferenceRequest.newBuilder(request("unknown-model", "hello", null)).setModel("nope").build());
    expected.put("unknown-model", ReasonCode.UNKNOWN_MODEL);
    sendRequest(request("too-large", "word ".repeat(2000), null));
    expected.put("too-large", ReasonCode.PAYLOAD_TOO_LARGE);
    sendRequest(request("bad-text", "a NUL \u0000 inside", null));
    expected.put("bad-text", ReasonCode.INVALID_TEXT);
    sendRequest(InferenceRequest.newBuilder(request("nan", "x", null)).setInput(new TensorInput(List.of(2), List.of(1f, Float.NaN))).build());
    expected.put("nan", ReasonCode.NON_FINITE_NUMBER);
    sendRequest(InferenceRequest.newBuilder(request("late", "too late", null)).setDeadline(Instant.now().minusSeconds(60)).build());
    expected.put("late", ReasonCode.EXPIRED);
    return expected;
  }

  private void answerAsAWorker(List<PreparedRequest> routed) {
    for (PreparedRequest prepared : routed) {
      InferenceResult result = InferenceResult.newBuilder().setRequestId(prepared.getRequestId()).setModel(MODEL)
          .setModelVersion(prepared.getModelVersion()).setStatus(Status.OK).setOutput(new Embedding(List.of(0.6f, 0.8f)))
          .setContentKey(prepared.getContentKey()).setTenant(prepared.getTenant()).setWorkerId("test-worker")
          .setCompletedAt(Instant.now()).build();
      send(topics.results(), prepared.getRequestId(), avro.serialize(topics.results(), result));
    }
  }

  private static InferenceRequest request(String id, String text, String idempotencyKey) {
    return InferenceRequest.newBuilder().setRequestId(id).setModel(MODEL).setTenant(TENANTS.get(Math.floorMod(text.replaceAll("\\s+", " ").hashCode(), TENANTS.size())))
        .setIdempotencyKey(idempotencyKey).setInput(new TextInput(text)).setCreatedAt(Instant.now()).build();
  }

  private void sendRequest(InferenceRequest request) {
    send(topics.requests(), request.getRequestId(), avro.serialize(topics.requests(), request));
  }

  private void sendRaw(String key, byte[] value) {
    send(topics.requests(), key, value);
  }

  private void send(String topic, String key, byte[] value) {
    send(topic, null, key, value);
  }

  private void send(String topic, Integer partition, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not send to " + topic, e);
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
