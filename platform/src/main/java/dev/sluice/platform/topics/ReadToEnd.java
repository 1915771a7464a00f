package dev.sluice.platform.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reading a whole topic, as a compacted topic's state is read: every partition from its beginning
 * to the end it has when the read starts; or its recent part, from a time to that end.
 */
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
    List<TopicPartition> partitions = assign(consumer, topic, timeout);
    consumer.seekToBeginning(partitions);
    readAssigned(consumer, topic, partitions, timeout, each);
  }

  /**
   * Reads every partition of the topic from its first record written at or after the time (by the
   * records' timestamps) to its end offset at the start: the recent part of a log.
   *
   * @param consumer a consumer without a group (read_committed), assigned here
   * @param fromMillis epoch milliseconds
   * @param timeout bound on the whole read
   * @param each called with every record, in each partition's order
   * @throws TimeoutException when the end is not reached within the timeout
   */
  public static <K, V> void readSince(Consumer<K, V> consumer, String topic, long fromMillis, Duration timeout,
      java.util.function.Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions = assign(consumer, topic, timeout);
    seekToTime(consumer, partitions, fromMillis, timeout);
    readAssigned(consumer, topic, partitions, timeout, each);
  }

  /**
   * Positions each assigned partition at its first record written at or after the time, or at its
   * end when it has none.
   */
  public static void seekToTime(Consumer<?, ?> consumer, List<TopicPartition> partitions, long fromMillis, Duration timeout) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(partition -> query.put(partition, fromMillis));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
    List<TopicPartition> none = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp at = found.get(partition);
      if (at == null) {
        none.add(partition);
      } else {
        consumer.seek(partition, at.offset());
      }
    }
    if (!none.isEmpty()) {
      consumer.seekToEnd(none); // an empty list would mean every assigned partition
    }
  }

  private static <K, V> List<TopicPartition> assign(Consumer<K, V> consumer, String topic, Duration timeout) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    return partitions;
  }

  private static <K, V> void readAssigned(Consumer<K, V> consumer, String topic, List<TopicPartition> partitions, Duration timeout,
      java.util.function.Consumer<ConsumerRecord<K, V>> each) {
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
