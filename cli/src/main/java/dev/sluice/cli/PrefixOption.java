package dev.sluice.cli;

import dev.sluice.platform.UserError;
import dev.sluice.schemas.topics.PipelineTopics;
import picocli.CommandLine.Option;

/** The topic-name prefix of the commands that read or write the pipeline's topics. */
public final class PrefixOption {
  @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "${env:SLUICE_TOPIC_PREFIX:-sluice}", description = "Topic name prefix.")
  String prefix;

  /** The topic names under the prefix; an illegal prefix becomes a {@link UserError}. */
  public PipelineTopics topics() {
    try {
      return new PipelineTopics(prefix);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The command that creates the topics under this prefix, for hints. */
  public String createHint() {
    return "./sluice topics create" + (PipelineTopics.DEFAULT_PREFIX.equals(prefix) ? "" : " --prefix " + prefix);
  }
}
