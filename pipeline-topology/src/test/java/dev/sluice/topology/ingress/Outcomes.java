package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What read_committed consumers see on the ingress's output topics, read from the beginning. */
final class Outcomes {
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private final KafkaCluster kafka;
  private final SchemaRegistryClient registry;
  private final PipelineTopics topics;
  private final String model;
  private final List<PreparedRequest> routedSeen = new ArrayList<>();

  Outcomes(KafkaCluster kafka, SchemaRegistryClient registry, PipelineTopics topics, String model) {
    this.kafka = kafka;
    this.registry = registry;
    this.topics = topics;
    this.model = model;
  }

  /** Waits for this many requests on the model's inference topic. */
  List<PreparedRequest> awaitRouted(int count) {
    List<PreparedRequest> routed = read(topics.inference(model), PreparedRequest.class, count, r -> true);
    routedSeen.addAll(routed);
    return routed;
  }

  /** Records on the inference topic beyond those {@link #awaitRouted} returned, up to the end of the topic. */
  List<PreparedRequest> routedAgain() {
    List<PreparedRequest> all = read(topics.inference(model), PreparedRequest.class, -1, r -> true);
    return all.subList(Math.min(routedSeen.size(), all.size()), all.size());
  }

  /** Waits for this many rejections; keyed by request id, or "raw:" + record key when the request could not be read. */
  Map<String, ReasonCode> awaitRejected(int count) {
    Map<String, ReasonCode> byId = new HashMap<>();
    for (RejectedRequest rejected : read(topics.rejected(), RejectedRequest.class, count, r -> true)) {
      String id = rejected.getRequestId() != null ? rejected.getRequestId()
          : "raw:" + StandardCharsets.UTF_8.decode(rejected.getOriginalKey());
      assertThat(byId.put(id, rejected.getReason())).as("rejection of %s seen once", id).isNull();
    }
    return byId;
  }

  /** Waits for this many results answered from the cache. */
  List<InferenceResult> awaitCached(int count) {
    return read(topics.results(), InferenceResult.class, count, InferenceResult::getCached);
  }

  /**
   * Reads a topic from the beginning until {@code count} matching records arrived (then also to the
   * end of what is committed), or, with a negative count, just to the end.
   */
  private <T> List<T> read(String topic, Class<T> type, int count, Predicate<T> wanted) {
    Map<String, Object> properties = new HashMap<>(kafka.adminClientProperties());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    AvroDeserializer<T> values = new AvroDeserializer<>(type, registry);
    List<T> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (seen.size() < count || !atEnd(consumer, partitions)) {
        assertThat(System.nanoTime() < deadline).as("%d matching records on %s in time; saw %d", count, topic, seen.size()).isTrue();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          T value = values.deserialize(topic, record.value());
          if (wanted.test(value)) {
            seen.add(value);
          }
        }
      }
    }
    return seen;
  }

  private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
  }
}
