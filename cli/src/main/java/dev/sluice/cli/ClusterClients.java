package dev.sluice.cli;

import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka clients and the schema registry client of a user command, all built from the
 * {@link ClusterOptions} (so {@code --command-config} reaches every one of them, and its
 * {@code schema.registry.*} and {@code basic.auth.*} keys reach the registry client), with every
 * wait bounded by {@link KafkaAdmins#TIMEOUT} so a dead cluster ends the command with one line.
 */
public final class ClusterClients implements AutoCloseable {
  private static final int TIMEOUT_MS = (int) KafkaAdmins.TIMEOUT.toMillis();

  private final ClusterOptions cluster;
  private SchemaRegistryClient registry;

  public ClusterClients(ClusterOptions cluster) {
    this.cluster = cluster;
  }

  /**
   * Checks that Kafka answers and that the topics exist.
   *
   * @param createHint the command that creates them, for the message
   * @throws UserError naming the missing topics, or saying that Kafka cannot be reached
   */
  public void requireTopics(Collection<String> topics, String createHint) throws InterruptedException {
    Set<String> existing;
    try (Admin admin = KafkaAdmins.connect(cluster.clientProperties())) {
      existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError("cannot list the topics of Kafka at " + cluster.bootstrapServers() + ": " + e.getMessage(), e);
    }
    List<String> missing = topics.stream().filter(topic -> !existing.contains(topic)).toList();
    if (!missing.isEmpty()) {
      throw new UserError((missing.size() == 1 ? "topic " + missing.get(0) + " does not exist" : "topics " + missing + " do not exist")
          + " in Kafka at " + cluster.bootstrapServers() + ": create them with " + createHint);
    }
  }

  /** A producer of String keys and byte[] values: acks=all, idempotent, every wait bounded. */
  public KafkaProducer<String, byte[]> producer() {
    Map<String, Object> props = new HashMap<>(cluster.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT_MS);
    props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * TIMEOUT_MS);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** A read_committed consumer without a group (the caller assigns and seeks), every wait bounded, creating no topic. */
  public KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> props = new HashMap<>(cluster.clientProperties());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A reader never creates what it reads, even on a broker that creates topics on first use.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The schema registry client (built on first use, closed with this object). */
  public SchemaRegistryClient registry() {
    if (registry == null) {
      Map<String, Object> props = new HashMap<>(cluster.clientProperties());
      props.put(SchemaRegistryClientConfig.URL, cluster.schemaRegistryUrl());
      props.putIfAbsent(SchemaRegistryClientConfig.CONNECT_TIMEOUT_MS, 5_000);
      props.putIfAbsent(SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS, TIMEOUT_MS);
      props.putIfAbsent(SchemaRegistryClientConfig.RETRIES, 2);
      registry = RestSchemaRegistryClient.fromProperties(props);
    }
    return registry;
  }

  /** A registry failure as one line saying what to do. */
  public UserError registryFailure(SchemaRegistryException e) {
    if (e instanceof SchemaRegistryUnavailableException) {
      return new UserError("cannot reach the schema registry at " + cluster.schemaRegistryUrl()
          + "; is it running? start one with ./sluice up, or pass --schema-registry-url", e);
    }
    return new UserError("the schema registry at " + cluster.schemaRegistryUrl() + " refused: " + e.getMessage(), e);
  }

  /** The bootstrap servers, for messages. */
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
  }
}
