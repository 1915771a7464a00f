package dev.sluice.bench.worker;

import dev.sluice.avro.InferenceResult;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A read_committed reader of the results: distinct request ids, and latencies of the lat- requests. */
final class ResultReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<InferenceResult> results;
  final Set<String> seen = new HashSet<>();
  final List<Long> latenciesMs = new ArrayList<>();
  final List<Long> completedMs = new ArrayList<>();

  ResultReader(String bootstrap, String topic, RestSchemaRegistryClient registry) {
    consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    results = new AvroDeserializer<>(InferenceResult.class, registry);
  }

  int poll() {
    return poll(Duration.ofMillis(20));
  }

  int poll(Duration timeout) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      long now = System.currentTimeMillis();
      InferenceResult result = results.deserialize(record.topic(), record.value());
      if (seen.add(result.getRequestId()) && result.getRequestId().startsWith("lat-")) {
        Instant createdAt = result.getCompletedAt().minusNanos((long) (result.getTimings().getEndToEndMs() * 1_000_000));
        latenciesMs.add(now - createdAt.toEpochMilli());
        completedMs.add(Math.round(result.getTimings().getEndToEndMs()));
      }
    }
    return seen.size();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
