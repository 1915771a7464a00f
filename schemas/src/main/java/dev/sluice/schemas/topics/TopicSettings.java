package dev.sluice.schemas.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster-dependent shape of the pipeline's topics.
 *
 * @param partitions partitions of each partitioned topic (the unit of scale for workers)
 * @param replicationFactor replication factor of every topic
 * @param minInsyncReplicas min.insync.replicas of every topic
 * @param retentionMs retention of the non-compacted topics; -1 keeps records forever
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas, long retentionMs) {
  /** Seven days, Kafka's default retention. */
  public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

  public TopicSettings {
    List<String> problems = new ArrayList<>();
    if (partitions < 1) {
      problems.add("Invalid value " + partitions + " for configuration topic.partitions: must be >= 1");
    }
    if (replicationFactor < 1) {
      problems.add("Invalid value " + replicationFactor + " for configuration topic.replication.factor: must be >= 1");
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      problems.add("Invalid value " + minInsyncReplicas + " for configuration topic.min.insync.replicas: must be between 1 and the replication factor " + replicationFactor);
    }
    if (retentionMs < -1 || retentionMs == 0) {
      problems.add("Invalid value " + retentionMs + " for configuration topic.retention.ms: must be -1 or > 0");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** Settings for a one-broker local cluster: 3 partitions, no replication. */
  public static TopicSettings singleBroker() {
    return new TopicSettings(3, (short) 1, 1, DEFAULT_RETENTION_MS);
  }

  /** Settings for a production cluster: replication 3, min ISR 2. */
  public static TopicSettings replicated(int partitions) {
    return new TopicSettings(partitions, (short) 3, 2, DEFAULT_RETENTION_MS);
  }

  TopicSpec deleting(String name, int partitionCount) {
    return new TopicSpec(name, partitionCount, replicationFactor, Map.of(
        "cleanup.policy", "delete",
        "min.insync.replicas", Integer.toString(minInsyncReplicas),
        "retention.ms", Long.toString(retentionMs)));
  }

  TopicSpec compacted(String name, int partitionCount) {
    return new TopicSpec(name, partitionCount, replicationFactor, Map.of(
        "cleanup.policy", "compact",
        "min.insync.replicas", Integer.toString(minInsyncReplicas)));
  }
}
