package dev.sluice.cli.stack;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted model registry topic ({@code <prefix>.models}, keyed {@code model/version}): reads
 * every current deployment (the topic from its beginning to its end offsets, a tombstone removing
 * its version) and writes deployments.
 */
public final class ModelRegistryTopic {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final Map<String, Object> clientProperties;
  private final SchemaRegistryClient registry;

  public ModelRegistryTopic(String topic, Map<String, Object> clientProperties, SchemaRegistryClient registry) {
    this.topic = topic;
    this.clientProperties = Map.copyOf(clientProperties);
    this.registry = registry;
  }

  /** Every current deployment, keyed {@code model/version} in key order. */
  public Map<String, ModelDeployment> read() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    AvroDeserializer<ModelDeployment> decoder = new AvroDeserializer<>(ModelDeployment.class, registry);
    Map<String, ModelDeployment> current = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null) {
            continue;
          }
          if (record.value() == null) {
            current.remove(record.key());
          } else {
            current.put(record.key(), decoder.deserialize(topic, record.value()));
          }
        }
      }
    }
    return current;
  }

  /** Writes deployments (deployed now), each keyed by its model and version, and waits for the acks. */
  public void write(List<ModelDeployment> deployments) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    AvroSerializer<Object> encoder = new AvroSerializer<>(registry);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (ModelDeployment deployment : deployments) {
        String key = new ModelKey(deployment.getModel(), deployment.getVersion()).encode();
        producer.send(new ProducerRecord<>(topic, key, encoder.serialize(topic, deployment))).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not write to " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    }
  }
}
