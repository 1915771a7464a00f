package dev.sluice.loadgen;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A TEST DOUBLE standing in for the pipeline (ingress + worker) in the bench's real-broker tests:
 * it reads the requests topic and answers each request as {@code answer} says, writing results
 * and rejections the way the pipeline does (keyed by the request key). Not the pipeline.
 */
public final class PipelineStandIn implements AutoCloseable {
  /** What to write for one request: any number of records, none for a request that goes missing. */
  public interface Answer extends Function<InferenceRequest, List<ProducerRecord<String, SpecificRecord>>> {}

  private final KafkaConsumer<String, InferenceRequest> consumer;
  private final KafkaProducer<String, SpecificRecord> producer;
  private final Answer answer;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;

  public PipelineStandIn(Map<String, Object> clientProps, SchemaRegistryClient registry, PipelineTopics topics, Answer answer) {
    Map<String, Object> consumerProps = new HashMap<>(clientProps);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new AvroDeserializer<>(InferenceRequest.class, registry));
    List<TopicPartition> partitions = consumer.partitionsFor(topics.requests(), Duration.ofSeconds(15)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<String, Object> producerProps = new HashMap<>(clientProps);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new AvroSerializer<SpecificRecord>(registry));
    this.answer = answer;
    this.thread = new Thread(this::loop, "pipeline-stand-in");
  }

  public PipelineStandIn start() {
    thread.start();
    return this;
  }

  private void loop() {
    try {
      while (!stopping) {
        for (ConsumerRecord<String, InferenceRequest> record : consumer.poll(Duration.ofMillis(50))) {
          answer.apply(record.value()).forEach(producer::send);
        }
        producer.flush();
      }
    } catch (RuntimeException e) {
      failure.set(e);
    }
  }

  public static ProducerRecord<String, SpecificRecord> result(String topic, InferenceRequest request, Status status, boolean cached) {
    InferenceResult result = InferenceResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setModel(request.getModel())
        .setModelVersion("v1")
        .setStatus(status)
        .setError(status == Status.OK ? null : "stand-in " + status)
        .setCached(cached)
        .setTimings(new Timings(0.0, 0.0, 0.0, 0.0))
        .setCompletedAt(Instant.now())
        .build();
    return new ProducerRecord<>(topic, request.getRequestId(), result);
  }

  /** A rejection the way the ingress writes one for a request it could not decode: no request id, the original key. */
  public static ProducerRecord<String, SpecificRecord> undecodable(String topic, InferenceRequest request, ReasonCode reason) {
    RejectedRequest rejected = RejectedRequest.newBuilder()
        .setRequestId(null)
        .setReason(reason)
        .setStage(Stage.DECODE)
        .setDetail("stand-in rejection")
        .setOriginalKey(ByteBuffer.wrap(request.getRequestId().getBytes(StandardCharsets.UTF_8)))
        .setRejectedAt(Instant.now())
        .build();
    return new ProducerRecord<>(topic, request.getRequestId(), rejected);
  }

  public static ProducerRecord<String, SpecificRecord> rejected(String topic, InferenceRequest request, ReasonCode reason) {
    RejectedRequest rejected = RejectedRequest.newBuilder()
        .setRequestId(request.getRequestId())
        .setModel(request.getModel())
        .setReason(reason)
        .setStage(Stage.VALIDATE)
        .setDetail("stand-in rejection")
        .setRejectedAt(Instant.now())
        .build();
    return new ProducerRecord<>(topic, request.getRequestId(), rejected);
  }

  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(10_000);
    producer.close(Duration.ofSeconds(5));
    consumer.close();
  }

  /** The topics the load generator and the stand-in use, under {@code prefix}: requests and results (3 partitions), rejections (2). */
  public static PipelineTopics createTopics(KafkaCluster kafka, String prefix) {
    PipelineTopics topics = new PipelineTopics(prefix);
    kafka.createTopic(topics.requests(), 3, 1, Map.of());
    kafka.createTopic(topics.results(), 3, 1, Map.of());
    kafka.createTopic(topics.rejected(), 2, 1, Map.of());
    return topics;
  }
}
