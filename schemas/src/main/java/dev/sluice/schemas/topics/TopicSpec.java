package dev.sluice.schemas.topics;

import java.util.Map;

/**
 * How one topic of the pipeline should look.
 *
 * @param name full topic name, prefix included
 * @param partitions partition count
 * @param replicationFactor replication factor
 * @param configs topic-level configs (cleanup.policy, min.insync.replicas, ...)
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
  public TopicSpec {
    configs = Map.copyOf(configs);
  }

  /** True when the topic keeps the latest value per key instead of deleting by age. */
  public boolean compacted() {
    return configs.getOrDefault("cleanup.policy", "delete").contains("compact");
  }
}
