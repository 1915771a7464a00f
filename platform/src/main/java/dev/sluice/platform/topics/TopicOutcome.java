package dev.sluice.platform.topics;

import dev.sluice.schemas.topics.TopicSpec;

/** What ensuring one topic found or did. */
public sealed interface TopicOutcome {
  /** The topic asked for. */
  TopicSpec spec();

  /** The topic did not exist and was created. */
  record Created(TopicSpec spec) implements TopicOutcome {}

  /** The topic existed with the expected shape. */
  record Present(TopicSpec spec) implements TopicOutcome {}

  /**
   * The topic existed but differs from the expected shape; it is left as it is.
   *
   * @param difference what differs, in words
   */
  record Differs(TopicSpec spec, String difference) implements TopicOutcome {}
}
