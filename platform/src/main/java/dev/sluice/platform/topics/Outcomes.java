package dev.sluice.platform.topics;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.platform.RejectedIds;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.topics.PipelineTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads results and dead letters (for the demo, the MCP server's embed tool, and tests that account for every request) as a read_committed consumer from the end of both topics at
 * creation (no consumer group), keeping every result and rejection by request id and the time
 * each was seen; a rejection without a request id (an undecodable record, a blank id) is kept
 * under its original record key.
 */
public final class Outcomes implements AutoCloseable {
  /** A result and when it was seen, in epoch milliseconds. */
  public record Seen<T>(T value, long seenAtMillis) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PipelineTopics topics;
  private final AvroDeserializer<InferenceResult> results;
  private final AvroDeserializer<RejectedRequest> rejections;
  private final Map<String, List<Seen<InferenceResult>>> resultsById = new HashMap<>();
  private final Map<String, List<Seen<RejectedRequest>>> rejectionsById = new HashMap<>();

  public Outcomes(Map<String, Object> clientProperties, PipelineTopics topics, SchemaRegistryClient registry) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topics = topics;
    this.results = new AvroDeserializer<>(InferenceResult.class, registry);
    this.rejections = new AvroDeserializer<>(RejectedRequest.class, registry);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.results(), topics.rejected())) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
  }

  /** Reads what arrived within the timeout. */
  public void poll(Duration timeout) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      long now = System.currentTimeMillis();
      if (record.topic().equals(topics.results())) {
        InferenceResult result = results.deserialize(record.topic(), record.value());
        resultsById.computeIfAbsent(result.getRequestId(), id -> new ArrayList<>()).add(new Seen<>(result, now));
      } else {
        RejectedRequest rejected = rejections.deserialize(record.topic(), record.value());
        String id = RejectedIds.of(rejected, record.key());
        rejectionsById.computeIfAbsent(id, key -> new ArrayList<>()).add(new Seen<>(rejected, now));
      }
    }
  }

  public List<Seen<InferenceResult>> results(String requestId) {
    return resultsById.getOrDefault(requestId, List.of());
  }

  public List<Seen<RejectedRequest>> rejections(String requestId) {
    return rejectionsById.getOrDefault(requestId, List.of());
  }

  /** Whether the request has an outcome of either kind. */
  public boolean answered(String requestId) {
    return !results(requestId).isEmpty() || !rejections(requestId).isEmpty();
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
