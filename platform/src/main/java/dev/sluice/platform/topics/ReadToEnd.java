package dev.sluice.platform.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/** Reading a whole topic, as a compacted topic's state is read: every partition from its beginning to the end it has when the read starts. */
public final class ReadToEnd {
  private static final Duration POLL = Duration.ofMillis(100);

  private ReadToEnd() {}

  /**
   * Reads every partition of the topic from the beginning to its end offset at the start.
   *
   * @param consumer a consumer without a group (read_committed), assigned here
   * @param timeout bound on the whole read
   * @param each called with every record, in each partition's order
   * @throws TimeoutException when the end is not reached within the timeout
   */
  public static <K, V> void read(Consumer<K, V> consumer, String topic, Duration timeout, java.util.function.Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("did not read " + topic + " to its end within " + timeout.toSeconds() + " s");
      }
      for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
        each.accept(record);
      }
    }
  }
}
