package dev.sluice.bench;

import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.schemas.topics.TopicSpec;
import dev.sluice.stack.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark's view of the in-process broker and registry: an Admin client for topics and
 * offsets, and factories for registry clients. Waits are bounded; failures propagate.
 */
final class BenchmarkCluster implements AutoCloseable {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
  private static final short REPLICATION = 1;

  private final LocalStack stack;
  private final Admin admin;

  private BenchmarkCluster(LocalStack stack, Admin admin) {
    this.stack = stack;
    this.admin = admin;
  }

  /** Connects an Admin client to the stack's broker. */
  static BenchmarkCluster connect(LocalStack stack) {
    return new BenchmarkCluster(stack, Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers())));
  }

  String bootstrapServers() {
    return stack.bootstrapServers();
  }

  String registryUrl() {
    return stack.schemaRegistryUrl();
  }

  /**
   * Settings for the benchmark's own (untimed) producers. One request in flight per connection:
   * the topics are written right after they are created, and a first batch refused with
   * NOT_LEADER_OR_FOLLOWER while the broker takes up leadership must not be overtaken by the
   * batches behind it, which the broker would then accept, failing the retried first batch with
   * OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout (seen on this in-process broker).
   */
  Map<String, Object> producerConfig(String clientId) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
        ProducerConfig.LINGER_MS_CONFIG, 10,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.CLIENT_ID_CONFIG, clientId);
  }

  /** A new registry client on the stack's registry; the caller closes it. */
  RestSchemaRegistryClient newRegistryClient() {
    return new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(stack.schemaRegistryUrl()));
  }

  /**
   * Creates the pipeline's topics under a prefix (the model's inference topic included; the
   * registry's schema topic exists already) and further plain topics with the same partitions.
   */
  void createTopics(PipelineTopics topics, int partitions, String model, List<String> extraTopics) {
    TopicSettings settings = new TopicSettings(partitions, REPLICATION, 1, TopicSettings.DEFAULT_RETENTION_MS);
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : topics.specs(settings, List.of(model))) {
      if (!spec.name().equals(PipelineTopics.SCHEMAS)) {
        newTopics.add(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()));
      }
    }
    for (String name : extraTopics) {
      newTopics.add(new NewTopic(name, partitions, REPLICATION));
    }
    await(admin.createTopics(newTopics).all(), "creating topics " + newTopics.stream().map(NewTopic::name).toList());
  }

  /** The sum of the end offsets of a topic's partitions (its record count when written without transactions). */
  long endOffsetSum(String topic) {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Whether a consumer group has committed, for every partition of a topic, an offset at the
   * partition's end.
   */
  boolean committedToEnd(String groupId, String topic) {
    Map<TopicPartition, OffsetAndMetadata> committed = await(
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(), "reading the offsets of group " + groupId);
    for (Map.Entry<TopicPartition, Long> end : endOffsets(topic).entrySet()) {
      OffsetAndMetadata offset = committed.get(end.getKey());
      if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue())) {
        return false;
      }
    }
    return true;
  }

  private Map<TopicPartition, Long> endOffsets(String topic) {
    TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(), "describing " + topic).get(topic);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    await(admin.listOffsets(request).all(), "listing the end offsets of " + topic)
        .forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Failed " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out after " + ADMIN_TIMEOUT + " " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted " + what, e);
    }
  }

  /** Closes the Admin client; the stack belongs to the caller. */
  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }
}
