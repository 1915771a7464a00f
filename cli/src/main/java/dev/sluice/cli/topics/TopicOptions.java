package dev.sluice.cli.topics;

import dev.sluice.platform.UserError;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.schemas.topics.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The shape of the pipeline's topics, as the topic commands take it. */
public final class TopicOptions {
  @Option(names = "--prefix", defaultValue = "${env:SLUICE_TOPIC_PREFIX:-sluice}", description = "Topic name prefix.")
  String prefix;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per partitioned topic.")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor.")
  short replicationFactor;

  @Option(names = "--min-insync-replicas", defaultValue = "1", description = "min.insync.replicas.")
  int minInsyncReplicas;

  @Option(names = "--retention-ms", defaultValue = "604800000", description = "Retention of the delete-policy topics and the result-cache topic, -1 for forever.")
  long retentionMs;

  @Option(names = "--model", paramLabel = "NAME", description = "Also the inference topic of this model (repeatable).", showDefaultValue = CommandLine.Help.Visibility.NEVER)
  List<String> models = new ArrayList<>();

  /** The specs these options describe; configuration problems become a {@link UserError}. */
  public List<TopicSpec> specs() {
    try {
      return topics().specs(new TopicSettings(partitions, replicationFactor, minInsyncReplicas, retentionMs), models);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The topic names under the prefix; an illegal prefix becomes a {@link UserError}. */
  public PipelineTopics topics() {
    try {
      return new PipelineTopics(prefix);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The models whose inference topics are asked for. */
  public List<String> models() {
    return List.copyOf(models);
  }
}
