package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records on a set of output topics as a {@code read_committed} consumer sees them:
 * only records of committed transactions, each once. Reads raw bytes, so counting costs no
 * deserialization. Not thread-safe: the measuring thread owns it.
 */
final class OutputCounter implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Long> counts = new HashMap<>();
  private final List<TopicPartition> partitions = new ArrayList<>();

  /**
   * Assigns every partition of the topics from their beginning.
   *
   * @param bootstrapServers the cluster
   * @param topics topics to count
   */
  OutputCounter(String bootstrapServers, Collection<String> topics) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
        ConsumerConfig.CLIENT_ID_CONFIG, "sluice-bench-output-counter");
    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (String topic : topics) {
      counts.put(topic, 0L);
      for (PartitionInfo partition : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, partition.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    partitions.forEach(consumer::position);
  }

  /** Polls once, for at most the timeout, and counts what came. */
  void poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    for (TopicPartition partition : records.partitions()) {
      counts.merge(partition.topic(), (long) records.records(partition).size(), Long::sum);
    }
  }

  /** Records counted so far on a topic. */
  long count(String topic) {
    return counts.getOrDefault(topic, 0L);
  }

  /** Records counted so far, by topic. */
  Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  /**
   * Polls until the consumer has read up to the last stable offset of every partition as it is
   * now; after the producers have stopped, the counts are then final.
   *
   * @throws IllegalStateException when that takes longer than the timeout
   */
  void drainToEnd(Duration timeout) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!readTo(ends)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The output counter did not reach the end offsets " + ends + " within " + timeout);
      }
      poll(Duration.ofMillis(100));
    }
  }

  private boolean readTo(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
  }
}
