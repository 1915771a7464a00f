package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer (acks=all, idempotent) and a consumer reading every partition of one topic from the
 * beginning, without a consumer group, so a read position is never rewound.
 */
final class TopicClient implements AutoCloseable {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final String topic;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final List<String> read = new ArrayList<>();

  TopicClient(KafkaCluster cluster, String topic) {
    this.topic = topic;
    Map<String, Object> producerProps = new HashMap<>(cluster.adminClientProperties());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
    consumer = new KafkaConsumer<>(cluster.adminClientProperties(), new StringDeserializer(),
        new StringDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Values {@code record-<from>} to {@code record-<to - 1>}. */
  static List<String> values(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "record-" + i).collect(Collectors.toList());
  }

  /** Sends every value (as key and value) and fails unless each one is acknowledged. */
  void sendAll(List<String> values) throws ExecutionException, InterruptedException,
      TimeoutException {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (String value : values) {
      acks.add(producer.send(new ProducerRecord<>(topic, value, value)));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      assertThat(ack.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).hasOffset()).isTrue();
    }
  }

  /** Reads until {@code total} values have been read since creation (or the deadline passes). */
  List<String> readUntil(int total) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (read.size() < total && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        read.add(record.value());
      }
    }
    return List.copyOf(read);
  }

  @Override
  public void close() {
    producer.close();
    consumer.close();
  }
}
