package dev.sluice.platform.topics;

import dev.sluice.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the pipeline's topics idempotently: missing topics are created with their spec,
 * existing ones are compared with it and reported, never altered (changing partitions or
 * cleanup policy of a live topic is an operator's decision).
 */
public final class TopicProvisioner {
  private final Admin admin;
  private final Duration timeout;

  /**
   * @param admin admin client of the target cluster (not closed by this class)
   * @param timeout bound on each admin round trip
   */
  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Ensures every topic exists; returns one outcome per spec, in the order given. */
  public List<TopicOutcome> ensure(Collection<TopicSpec> specs) throws InterruptedException {
    Map<String, TopicSpec> byName = specs.stream().collect(Collectors.toMap(TopicSpec::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    var existing = await(admin.listTopics().names());
    List<NewTopic> toCreate = byName.values().stream()
        .filter(spec -> !existing.contains(spec.name()))
        .map(spec -> new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()))
        .toList();
    List<String> raced = new ArrayList<>();
    if (!toCreate.isEmpty()) {
      var results = admin.createTopics(toCreate).values();
      for (var entry : results.entrySet()) {
        try {
          await(entry.getValue());
        } catch (TopicCreationException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          raced.add(entry.getKey());
        }
      }
    }
    List<TopicOutcome> outcomes = new ArrayList<>();
    List<String> toCompare = byName.keySet().stream().filter(n -> existing.contains(n) || raced.contains(n)).toList();
    Map<String, TopicDescription> descriptions = toCompare.isEmpty() ? Map.of() : describe(toCompare);
    Map<ConfigResource, Config> configs = toCompare.isEmpty() ? Map.of() : await(admin.describeConfigs(
        toCompare.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all());
    for (TopicSpec spec : byName.values()) {
      if (!toCompare.contains(spec.name())) {
        outcomes.add(new TopicOutcome.Created(spec));
        continue;
      }
      String difference = difference(spec, descriptions.get(spec.name()), configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())));
      outcomes.add(difference.isEmpty() ? new TopicOutcome.Present(spec) : new TopicOutcome.Differs(spec, difference));
    }
    return outcomes;
  }

  private static String difference(TopicSpec spec, TopicDescription description, Config config) {
    List<String> differences = new ArrayList<>();
    int partitions = description.partitions().size();
    if (partitions != spec.partitions()) {
      differences.add(partitions + " partitions, expected " + spec.partitions());
    }
    int replication = description.partitions().get(0).replicas().size();
    if (replication != spec.replicationFactor()) {
      differences.add("replication " + replication + ", expected " + spec.replicationFactor());
    }
    String policy = config.get("cleanup.policy") == null ? "delete" : config.get("cleanup.policy").value();
    String expectedPolicy = spec.configs().getOrDefault("cleanup.policy", "delete");
    if (!policy.equals(expectedPolicy)) {
      differences.add("cleanup.policy " + policy + ", expected " + expectedPolicy);
    }
    return String.join("; ", differences);
  }

  /**
   * Describes topics that exist; a topic another client has just created may not be in the
   * broker's metadata yet (UnknownTopicOrPartition), so that is retried within the timeout.
   */
  private Map<String, TopicDescription> describe(List<String> names) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return await(admin.describeTopics(names).allTopicNames());
      } catch (TopicCreationException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private <T> T await(KafkaFuture<T> future) throws InterruptedException {
    return AdminCalls.await(future, timeout);
  }
}
