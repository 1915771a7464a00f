package dev.sluice.schemaregistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the registry's topic exists and fits: one partition (a total order of changes) and
 * {@code cleanup.policy=compact} (the latest change per key survives forever).
 *
 * @param admin the admin client to use
 * @param name the topic
 * @param timeout bound on each admin call
 */
record SchemasTopic(Admin admin, String name, Duration timeout) {

  private static final int MAX_AUTO_REPLICATION = 3;
  private static final Duration METADATA_POLL = Duration.ofMillis(50);

  /**
   * Creates the topic if it is missing, then checks it.
   *
   * @param replicationFactor for a new topic; {@link EmbeddedSchemaRegistryConfig#AUTO_REPLICATION_FACTOR} for min(3, brokers)
   * @throws RegistryStartupException when the topic cannot be created or does not fit
   */
  void ensure(int replicationFactor) {
    if (describe().isEmpty()) {
      create(replicationFactor);
    }
    TopicDescription description = untilKnown(this::describe, "was created but no broker knows it");
    if (description.partitions().size() != 1) {
      throw new RegistryStartupException("topic " + name + " has " + description.partitions().size()
          + " partitions; the schema registry needs exactly 1 (delete it or choose another topic)", null);
    }
    // The broker asked for the configuration may learn of a new topic later than the one that described it.
    Config config = untilKnown(this::describeConfig, "is described but no broker gives its configuration");
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw new RegistryStartupException("topic " + name + " has cleanup.policy=" + policy
          + "; the schema registry needs a compacted topic, or schemas would expire", null);
    }
  }

  /** A new topic's metadata reaches the brokers a moment after creation: asks until one knows it. */
  private <T> T untilKnown(Supplier<Optional<T>> ask, String otherwise) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> answer = ask.get();
      if (answer.isPresent()) {
        return answer.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new RegistryStartupException("topic " + name + " " + otherwise + " after " + timeout.toMillis() + " ms", null);
      }
      try {
        Thread.sleep(METADATA_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryStartupException("interrupted while waiting for topic " + name, e);
      }
    }
  }

  /** The topic's configuration, or empty while the broker asked does not know the topic yet. */
  private Optional<Config> describeConfig() {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    try {
      return Optional.of(admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw new RegistryStartupException("cannot describe the configuration of topic " + name + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new RegistryStartupException("timed out after " + timeout.toMillis() + " ms describing the configuration of topic "
          + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryStartupException("interrupted while describing the configuration of topic " + name, e);
    }
  }

  private Optional<TopicDescription> describe() {
    try {
      Map<String, TopicDescription> found = admin.describeTopics(Set.of(name)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(found.get(name));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw new RegistryStartupException("cannot describe topic " + name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new RegistryStartupException("timed out after " + timeout.toMillis() + " ms describing topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryStartupException("interrupted while describing topic " + name, e);
    }
  }

  private void create(int replicationFactor) {
    int replicas = replicationFactor == EmbeddedSchemaRegistryConfig.AUTO_REPLICATION_FACTOR
        ? Math.min(MAX_AUTO_REPLICATION, await(admin.describeCluster().nodes(), "list the brokers").size())
        : replicationFactor;
    NewTopic topic = new NewTopic(name, 1, (short) replicas)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // TopicExistsException: created concurrently by someone else; ensure() checks it like any other.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new RegistryStartupException("cannot create topic " + name + " with replication factor " + replicas
            + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new RegistryStartupException("timed out after " + timeout.toMillis() + " ms creating topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryStartupException("interrupted while creating topic " + name, e);
    }
  }

  private <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new RegistryStartupException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new RegistryStartupException("timed out after " + timeout.toMillis() + " ms trying to " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryStartupException("interrupted while trying to " + what, e);
    }
  }
}
