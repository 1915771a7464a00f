package dev.sluice.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.platform.topics.TopicState;
import java.util.List;

/**
 * The one JSON shape of the pipeline's topics as they are on the cluster, served by the
 * {@code pipeline_status} tool and the {@code sluice://topics} resource alike: per topic its name
 * and whether it exists and, when it does, its partitions, replication, cleanup policy,
 * {@code min.insync.replicas}, retention and end offsets.
 */
final class TopicsJson {
  private TopicsJson() {}

  static ArrayNode of(List<TopicState> states) {
    ArrayNode topics = JsonNodeFactory.instance.arrayNode();
    for (TopicState state : states) {
      if (state instanceof TopicState.Present present) {
        topics.addObject().put("name", present.name()).put("exists", true).put("partitions", present.partitions())
            .put("replication_factor", present.replicationFactor()).put("cleanup_policy", present.cleanupPolicy())
            .put("min_insync_replicas", present.minInsyncReplicas()).put("retention_ms", present.retentionMs())
            .put("end_offsets", present.endOffsets());
      } else {
        topics.addObject().put("name", state.name()).put("exists", false);
      }
    }
    return topics;
  }
}
