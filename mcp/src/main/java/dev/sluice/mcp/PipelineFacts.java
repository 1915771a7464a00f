package dev.sluice.mcp;

import dev.sluice.avro.Alert;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.models.ModelRegistry;
import dev.sluice.platform.models.ModelRegistrySnapshot;
import dev.sluice.platform.models.ModelStatus;
import dev.sluice.platform.topics.GroupLag;
import dev.sluice.platform.topics.Outcomes;
import dev.sluice.platform.topics.ReadToEnd;
import dev.sluice.platform.topics.TopicState;
import dev.sluice.platform.topics.TopicSurvey;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the MCP tools read and write of a running pipeline, from Kafka and the schema registry
 * alone: each read is a group-less read_committed consumer over the topic (the whole compacted
 * registry and status topics, the recent part of the snapshots, alerts and dead letters), so the
 * server holds no state between calls and sees what {@code sluice tail} and {@code sluice models
 * list} see at the same moment.
 */
final class PipelineFacts implements AutoCloseable {
  /** A decoded record and its timestamp. */
  record Stamped<T>(T value, long timestampMillis, String key) {}

  private final Map<String, Object> clientProperties;
  private final PipelineTopics topics;
  private final SchemaRegistryClient registry;
  private final Duration timeout;
  private final Admin admin;

  PipelineFacts(Map<String, Object> clientProperties, PipelineTopics topics, SchemaRegistryClient registry, Duration timeout)
      throws InterruptedException {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topics = topics;
    this.registry = registry;
    this.timeout = timeout;
    this.admin = KafkaAdmins.connect(clientProperties);
  }

  PipelineTopics topics() {
    return topics;
  }

  /** Every deployed version, read from the registry topic to its end. */
  ModelRegistrySnapshot deployments() {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      return modelRegistry().read(consumer);
    }
  }

  /** Writes new deployments of versions (a traffic change) and waits for the broker's acknowledgement. */
  void write(List<ModelDeployment> deployments) throws InterruptedException {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      modelRegistry().write(producer, deployments);
    }
  }

  private ModelRegistry modelRegistry() {
    return new ModelRegistry(topics.models(), new AvroDeserializer<>(ModelDeployment.class, registry), new AvroSerializer<>(registry),
        timeout);
  }

  /** Every worker's last reported load state, by key {@code model/version/worker}; withdrawn ones left out. */
  List<ModelLoadState> loadStates() {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      return new ModelStatus(topics.modelStatus(), new AvroDeserializer<>(ModelLoadState.class, registry), timeout).read(consumer).states();
    }
  }

  /** The snapshots written since the time, in each partition's order. */
  List<Stamped<MetricsSnapshot>> snapshots(Instant since) {
    return since(topics.metrics(), MetricsSnapshot.class, since);
  }

  /** The alerts written since the time. */
  List<Stamped<Alert>> alerts(Instant since) {
    return since(topics.alerts(), Alert.class, since);
  }

  /** The dead letters written since the time. */
  List<Stamped<RejectedRequest>> rejections(Instant since) {
    return since(topics.rejected(), RejectedRequest.class, since);
  }

  private <T extends SpecificRecord> List<Stamped<T>> since(String topic, Class<T> type, Instant since) {
    List<Stamped<T>> out = new ArrayList<>();
    AvroDeserializer<T> decoder = new AvroDeserializer<>(type, registry);
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      ReadToEnd.readSince(consumer, topic, since.toEpochMilli(), timeout, record -> {
        if (record.value() != null) {
          try {
            out.add(new Stamped<>(decoder.deserialize(record.topic(), record.value()), record.timestamp(), record.key()));
          } catch (WireFormatException e) {
            // an undecodable record is not a fact about the pipeline: sluice tail reports those
          }
        }
      });
    }
    return out;
  }

  /** The pipeline's topics (with the inference topics of the given models) as they are on the cluster. */
  List<TopicState> topicStates(List<String> models) throws InterruptedException {
    return new TopicSurvey(admin, timeout).topics(topics.specs(TopicSettings.singleBroker(), models).stream().map(spec -> spec.name()).toList());
  }

  /** The lag of the ingress's group and of every worker and monitor group on this prefix's topics. */
  List<GroupLag> groupLags(String ingressGroup) throws InterruptedException {
    TopicSurvey survey = new TopicSurvey(admin, timeout);
    List<String> groups = new ArrayList<>();
    groups.add(ingressGroup);
    for (String prefix : SluiceMcp.REPORTED_GROUP_PREFIXES) {
      survey.groupsStartingWith(prefix).forEach(groups::add);
    }
    return survey.lag(groups, topics.prefix() + ".");
  }

  /** The registry's subjects. */
  List<String> subjects() {
    return registry.listSubjects();
  }

  /**
   * Sends one request as a producer would and waits for its outcome, the result or the dead letter.
   *
   * @param onOutcome called with the result or the rejection (one of them null), or with two nulls on timeout
   */
  void send(InferenceRequest request, Duration wait, BiConsumer<dev.sluice.avro.InferenceResult, RejectedRequest> onOutcome)
      throws Exception {
    try (Outcomes outcomes = new Outcomes(clientProperties, topics, registry); KafkaProducer<String, byte[]> producer = producer()) {
      AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
      String key = request.getIdempotencyKey() != null ? request.getIdempotencyKey() : request.getRequestId();
      producer.send(new ProducerRecord<>(topics.requests(), key, serializer.serialize(topics.requests(), request))).get();
      long deadline = System.nanoTime() + wait.toNanos();
      String id = request.getRequestId();
      while (!outcomes.answered(id) && System.nanoTime() < deadline) {
        outcomes.poll(Duration.ofMillis(100));
      }
      List<Outcomes.Seen<dev.sluice.avro.InferenceResult>> results = outcomes.results(id);
      List<Outcomes.Seen<RejectedRequest>> rejections = outcomes.rejections(id);
      onOutcome.accept(results.isEmpty() ? null : results.get(0).value(), rejections.isEmpty() ? null : rejections.get(0).value());
    }
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-mcp");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<String, byte[]> producer() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-mcp");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
