package dev.sluice.bench;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.avro.Timings;
import dev.sluice.preprocessing.ContentKeys;
import dev.sluice.preprocessing.EffectiveLimits;
import dev.sluice.preprocessing.IngressDefaults;
import dev.sluice.preprocessing.InputNormalizer;
import dev.sluice.preprocessing.NormalizedInput;
import dev.sluice.preprocessing.Outcome;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The model side of a benchmark round: two deployed versions of the text-embedding model on the
 * model registry topic (90/10 traffic weights, so routing picks a version per request), and
 * worker results for the popular texts on the results topic, so the ingress's result cache has
 * something to answer from. Both are written before the ingress starts.
 */
final class ModelFixture {
  /** The primary version and its traffic weight. */
  static final String PRIMARY_VERSION = "v1";
  /** The canary version. */
  static final String CANARY_VERSION = "v2";
  private static final double PRIMARY_WEIGHT = 0.9;
  private static final double CANARY_WEIGHT = 0.1;
  private static final int EMBEDDING_DIMENSIONS = 384;

  private final BenchmarkCluster cluster;
  private final SchemaRegistryClient registry;
  private final PipelineTopics topics;

  ModelFixture(BenchmarkCluster cluster, SchemaRegistryClient registry, PipelineTopics topics) {
    this.cluster = cluster;
    this.registry = registry;
    this.topics = topics;
  }

  /** Writes the two deployments to the model registry topic and waits until they are written. */
  void deploy(Instant at) {
    List<ModelDeployment> versions = List.of(deployment(PRIMARY_VERSION, PRIMARY_WEIGHT, at), deployment(CANARY_VERSION, CANARY_WEIGHT, at));
    try (KafkaProducer<String, ModelDeployment> producer = producer(new StringSerializer())) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (ModelDeployment version : versions) {
        sends.add(producer.send(new ProducerRecord<>(topics.models(), new ModelKey(version.getModel(), version.getVersion()).encode(), version)));
      }
      awaitAll(sends, "deploying " + Workload.MODEL);
    }
  }

  /**
   * Writes an OK worker result for every popular text, tenant and version, completed now, and
   * waits until they are written.
   *
   * @return how many results were written
   */
  int seedResults(List<String> popularTexts) {
    EffectiveLimits limits = EffectiveLimits.of(deployment(PRIMARY_VERSION, PRIMARY_WEIGHT, Instant.now()), IngressDefaults.defaults());
    InputNormalizer normalizer = new InputNormalizer();
    Random random = new Random(popularTexts.hashCode());
    Instant completed = Instant.now();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<byte[], InferenceResult> producer = producer(new ByteArraySerializer())) {
      for (String text : popularTexts) {
        Outcome<NormalizedInput> normalized = normalizer.normalize(new TextInput(text), limits);
        if (!(normalized instanceof Outcome.Accepted<NormalizedInput> accepted)) {
          throw new IllegalStateException("Popular text is not valid input: " + text + " (" + normalized + ")");
        }
        String contentKey = ContentKeys.contentKey(Workload.MODEL, accepted.value());
        for (String tenant : Workload.TENANTS.stream().distinct().toList()) {
          for (String version : List.of(PRIMARY_VERSION, CANARY_VERSION)) {
            String requestId = "seed-" + sends.size();
            InferenceResult result = result(requestId, version, tenant, contentKey, embedding(random), completed);
            sends.add(producer.send(new ProducerRecord<>(topics.results(), requestId.getBytes(StandardCharsets.UTF_8), result)));
          }
        }
      }
      awaitAll(sends, "seeding the result cache");
    }
    return sends.size();
  }

  private static ModelDeployment deployment(String version, double weight, Instant at) {
    return ModelDeployment.newBuilder()
        .setModel(Workload.MODEL)
        .setVersion(version)
        .setArtifactUri("djl://ai.djl.huggingface.onnxruntime/sentence-transformers/all-MiniLM-L6-v2")
        .setEngine(Engine.ONNX_RUNTIME)
        .setTask(Task.TEXT_EMBEDDING)
        .setTrafficWeight(weight)
        .setShadow(false)
        .setLimits(null)
        .setFeatureStats(List.of())
        .setLabels(List.of())
        .setProperties(Map.of())
        .setDeployedAt(at)
        .setDescription("benchmark deployment " + version)
        .build();
  }

  private static InferenceResult result(String requestId, String version, String tenant, String contentKey, Embedding output, Instant at) {
    return InferenceResult.newBuilder()
        .setRequestId(requestId)
        .setModel(Workload.MODEL)
        .setModelVersion(version)
        .setStatus(Status.OK)
        .setOutput(output)
        .setError(null)
        .setCached(false)
        .setShadow(false)
        .setContentKey(contentKey)
        .setTimings(new Timings(3.0, 0.2, 11.0, 15.0))
        .setBatchSize(16)
        .setWorkerId("worker-0")
        .setTenant(tenant)
        .setTraceparent(null)
        .setCompletedAt(at)
        .setAttributes(Map.of())
        .build();
  }

  private static Embedding embedding(Random random) {
    List<Float> vector = new ArrayList<>(EMBEDDING_DIMENSIONS);
    double norm = 0;
    float[] values = new float[EMBEDDING_DIMENSIONS];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
      norm += values[i] * values[i];
    }
    for (float value : values) {
      vector.add((float) (value / Math.sqrt(norm)));
    }
    return new Embedding(vector);
  }

  private <K, V> KafkaProducer<K, V> producer(Serializer<K> keySerializer) {
    return new KafkaProducer<>(cluster.producerConfig("sluice-bench-fixture"), keySerializer, new AvroSerializer<>(registry));
  }

  static void awaitAll(List<Future<RecordMetadata>> sends, String what) {
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Failed " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted " + what, e);
    }
  }
}
