package dev.sluice.schemas.registry;

import java.util.List;
import java.util.Objects;

/**
 * The registry's verdict on whether a schema could be registered under a subject.
 *
 * @param compatible whether the schema is compatible under the subject's compatibility level
 * @param messages the registry's explanations (asked for with {@code verbose=true}); may be empty
 */
public record CompatibilityVerdict(boolean compatible, List<String> messages) {
  /** Copies the messages. */
  public CompatibilityVerdict {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
  }
}
