package dev.sluice.platform.topics;

/** What {@code sluice topics describe} found of one pipeline topic. */
public sealed interface TopicState {
  /** The topic name. */
  String name();

  /** The topic does not exist. */
  record Missing(String name) implements TopicState {}

  /**
   * The topic exists.
   *
   * @param partitions partition count
   * @param replicationFactor replicas of its first partition
   * @param cleanupPolicy {@code cleanup.policy}
   * @param minInsyncReplicas {@code min.insync.replicas}
   * @param retentionMs {@code retention.ms}; -1 for forever
   * @param endOffsets the sum of its partitions' end offsets: the records ever written, compacted or deleted ones included
   */
  record Present(String name, int partitions, int replicationFactor, String cleanupPolicy, String minInsyncReplicas,
      long retentionMs, long endOffsets) implements TopicState {}
}
