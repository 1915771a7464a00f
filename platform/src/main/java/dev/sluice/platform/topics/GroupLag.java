package dev.sluice.platform.topics;

import java.util.Map;

/** How far behind one consumer group of the pipeline is. */
public sealed interface GroupLag {
  /** The group id. */
  String group();

  /** No such group, or it has committed no offsets on the pipeline's topics. */
  record Absent(String group) implements GroupLag {}

  /**
   * The group's committed offsets against the committed end of each partition.
   *
   * @param total records behind, over every partition
   * @param byTopic records behind per topic, in topic order
   */
  record Behind(String group, long total, Map<String, Long> byTopic) implements GroupLag {
    public Behind {
      byTopic = Map.copyOf(byTopic);
    }
  }
}
