package dev.sluice.testkit.contracts;

import dev.sluice.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.opentest4j.AssertionFailedError;

/**
 * A single-partition topic on the test cluster, written through a real producer (acks=all) with
 * any value serializer, and read from the beginning by real consumers without a consumer group.
 * Keys are left null.
 */
final class ContractTopic {
  /** Bound on every wait: an acknowledgement, or the records a test expects. */
  static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaCluster kafka;
  private final TopicPartition partition;

  private ContractTopic(KafkaCluster kafka, String name) {
    this.kafka = kafka;
    this.partition = new TopicPartition(name, 0);
  }

  /** Creates the topic, one partition, one replica. */
  static ContractTopic create(KafkaCluster kafka, String name) {
    kafka.createTopic(name, 1, 1, Map.of());
    return new ContractTopic(kafka, name);
  }

  String name() {
    return partition.topic();
  }

  TopicPartition partition() {
    return partition;
  }

  /**
   * Sends the values in order and waits for each acknowledgement. A serializer failure surfaces
   * from {@code send} as Kafka throws it.
   */
  <V> void send(Serializer<V> valueSerializer, List<V> values)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, Object> props = new HashMap<>(kafka.adminClientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], V> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), valueSerializer)) {
      for (V value : values) {
        producer.send(new ProducerRecord<>(name(), value))
            .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Sends bytes as they are, bypassing any serializer's checks. */
  void sendRaw(List<byte[]> values)
      throws ExecutionException, InterruptedException, TimeoutException {
    send(new ByteArraySerializer(), values);
  }

  /** A consumer assigned to the partition at its beginning; the caller closes it. */
  <V> KafkaConsumer<byte[], V> consumer(Deserializer<V> valueDeserializer) {
    Map<String, Object> props = new HashMap<>(kafka.adminClientProperties());
    // Closing waits for the fetch in flight; the broker holds an empty one this long.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    KafkaConsumer<byte[], V> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), valueDeserializer);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    return consumer;
  }

  /** Reads the first {@code count} records with a new consumer, failing after the deadline. */
  <V> List<ConsumerRecord<byte[], V>> read(Deserializer<V> valueDeserializer, int count) {
    try (KafkaConsumer<byte[], V> consumer = consumer(valueDeserializer)) {
      List<ConsumerRecord<byte[], V>> read = new ArrayList<>();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (read.size() < count) {
        failIfPast(deadline, "read " + count + " record(s) from " + name() + ", got "
            + read.size());
        consumer.poll(POLL).forEach(read::add);
      }
      return read.subList(0, count);
    }
  }

  /** The offset the next record will get. */
  long endOffset() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(new ByteArrayDeserializer())) {
      return consumer.endOffsets(List.of(partition), DEADLINE).get(partition);
    }
  }

  /**
   * Polls until the consumer reports a record it cannot deserialize, collecting the records it
   * delivers before that one.
   *
   * @throws AssertionFailedError if the deadline passes first
   */
  static <V> RecordDeserializationException pollUntilDeserializationFails(
      KafkaConsumer<byte[], V> consumer, List<ConsumerRecord<byte[], V>> delivered) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      failIfPast(deadline, "a record fails to deserialize");
      try {
        consumer.poll(POLL).forEach(delivered::add);
      } catch (RecordDeserializationException e) {
        return e;
      }
    }
  }

  /**
   * Reads {@code count} records the way a consumer loop that never lets a poison record stop its
   * partition does: a record that does not deserialize is noted in {@code skipped} and sought past.
   *
   * @throws AssertionFailedError if the deadline passes first
   */
  static <V> List<ConsumerRecord<byte[], V>> readSkippingPoison(KafkaConsumer<byte[], V> consumer,
      int count, List<RecordDeserializationException> skipped) {
    List<ConsumerRecord<byte[], V>> delivered = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (delivered.size() < count) {
      failIfPast(deadline, "read " + count + " good record(s), got " + delivered.size());
      try {
        consumer.poll(POLL).forEach(delivered::add);
      } catch (RecordDeserializationException e) {
        skipped.add(e);
        consumer.seek(e.topicPartition(), e.offset() + 1);
      }
    }
    return delivered;
  }

  private static void failIfPast(long deadline, String condition) {
    if (System.nanoTime() > deadline) {
      throw new AssertionFailedError("Not true within " + DEADLINE + ": " + condition);
    }
  }
}
