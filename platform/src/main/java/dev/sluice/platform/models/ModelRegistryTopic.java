package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The model registry topic of a running pipeline: {@link ModelRegistry} with clients made from the pipeline's client properties. */
public final class ModelRegistryTopic {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> clientProperties;
  private final ModelRegistry registry;

  public ModelRegistryTopic(String topic, Map<String, Object> clientProperties, SchemaRegistryClient schemas) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.registry = new ModelRegistry(topic, new AvroDeserializer<>(ModelDeployment.class, schemas), new AvroSerializer<>(schemas), TIMEOUT);
  }

  /** Every current deployment. */
  public List<ModelDeployment> read() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      return registry.read(consumer).all();
    }
  }

  /** Writes deployments and waits for their acknowledgements. */
  public void write(List<ModelDeployment> deployments) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      registry.write(producer, deployments);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the model registry", e);
    }
  }
}
