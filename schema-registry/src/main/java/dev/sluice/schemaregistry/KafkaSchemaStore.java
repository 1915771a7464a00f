package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link SchemaStore} on a single-partition compacted Kafka topic, in the record layout of
 * Confluent's {@code _schemas} topic (see {@link StoreRecordCodec}), so schema ids survive
 * restarts of the registry and of the broker.
 *
 * <p>{@link #open} creates the topic when it is missing; {@link #replay} reads it from the
 * beginning to the end offset it found when called; {@link #append} produces with {@code acks=all}
 * on an idempotent producer and waits for the acknowledgement. The topic is read only at start:
 * this store assumes its registry is the topic's only writer. Several registry instances sharing a
 * topic would need leader election and tailing, which this store does not do.
 */
public final class KafkaSchemaStore implements SchemaStore {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CLOSE = Duration.ofSeconds(5);

  private final EmbeddedSchemaRegistryConfig config;
  private final TopicPartition partition;
  private final StoreRecordCodec codec = new StoreRecordCodec(new ObjectMapper());
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaSchemaStore(EmbeddedSchemaRegistryConfig config, KafkaProducer<byte[], byte[]> producer) {
    this.config = config;
    this.partition = new TopicPartition(config.topic(), 0);
    this.producer = producer;
  }

  /**
   * Connects to the cluster, creates the topic if it is missing and checks it.
   *
   * @throws RegistryStartupException when the topic cannot be created or does not fit
   */
  public static KafkaSchemaStore open(EmbeddedSchemaRegistryConfig config) {
    try (Admin admin = Admin.create(clientConfig(config, "admin"))) {
      new SchemasTopic(admin, config.topic(), config.startupTimeout()).ensure(config.replicationFactor());
    } catch (KafkaException e) {
      throw new RegistryStartupException("cannot use Kafka at " + config.bootstrapServers() + ": " + e.getMessage(), e);
    }
    Map<String, Object> producerConfig = clientConfig(config, "writer");
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.startupTimeout().toMillis());
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try {
      return new KafkaSchemaStore(config, new KafkaProducer<>(producerConfig));
    } catch (KafkaException e) {
      throw new RegistryStartupException("cannot create the registry's producer for " + config.bootstrapServers() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void replay(Consumer<StoreRecord> sink) {
    Map<String, Object> consumerConfig = clientConfig(config, "reader");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    long deadline = System.nanoTime() + config.startupTimeout().toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), remaining(deadline)).get(partition);
      while (consumer.position(partition, remaining(deadline)) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          applyRecord(record, sink);
        }
        if (System.nanoTime() > deadline) {
          throw new SchemaStoreTimeoutException("could not read topic " + config.topic() + " to offset " + end
              + " within " + config.startupTimeout().toMillis() + " ms", null);
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new SchemaStoreTimeoutException("timed out reading topic " + config.topic() + ": " + e.getMessage(), e);
    } catch (KafkaException e) {
      throw new SchemaStoreException("cannot read topic " + config.topic() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void append(StoreRecord record) {
    ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(config.topic(), 0, codec.key(record), codec.value(record));
    long timeoutMs = config.startupTimeout().toMillis();
    try {
      producer.send(message).get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new SchemaStoreException("write to topic " + config.topic() + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new SchemaStoreTimeoutException("write to topic " + config.topic() + " not acknowledged within " + timeoutMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaStoreException("interrupted while writing to topic " + config.topic(), e);
    } catch (KafkaException e) {
      throw new SchemaStoreException("write to topic " + config.topic() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      producer.close(CLOSE);
    }
  }

  private void applyRecord(ConsumerRecord<byte[], byte[]> record, Consumer<StoreRecord> sink) {
    if (record.key() == null) {
      throw new SchemaStoreException("record without a key at offset " + record.offset() + " of topic " + config.topic(), null);
    }
    try {
      codec.decode(record.key(), record.value()).ifPresent(sink);
    } catch (SchemaStoreException | IllegalArgumentException e) {
      throw new SchemaStoreException("cannot apply the record at offset " + record.offset() + " of topic " + config.topic()
          + ": " + e.getMessage(), e);
    }
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static Map<String, Object> clientConfig(EmbeddedSchemaRegistryConfig config, String role) {
    Map<String, Object> properties = new HashMap<>(config.clientProperties());
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-schema-registry-" + role);
    return properties;
  }
}
