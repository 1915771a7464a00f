package dev.sluice.schemaregistry;

import dev.sluice.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Holds a candidate schema against a subject's earlier versions under one compatibility level,
 * using {@link CompatibilityLevel#check} for each earlier version, and words the outcome the way
 * Confluent's registry does: the incompatibilities, then {@code {oldSchemaVersion: n}}, {@code
 * {oldSchema: '...'}} per failing version, and finally {@code {compatibility: 'LEVEL'}}.
 *
 * @param level the level in force
 */
record CompatibilityRule(CompatibilityLevel level) {

  /**
   * Checks against a subject's live versions: the latest one, or all of them for a transitive level.
   *
   * @param previous the live versions, oldest first
   * @return the messages; empty when compatible
   */
  List<String> againstSubject(Schema candidate, List<SubjectVersion> previous) {
    if (previous.isEmpty()) {
      return List.of();
    }
    return against(candidate, level.isTransitive() ? previous : previous.subList(previous.size() - 1, previous.size()));
  }

  /**
   * Checks against exactly the given versions.
   *
   * @return the messages; empty when compatible
   */
  List<String> against(Schema candidate, List<SubjectVersion> versions) {
    List<String> messages = new ArrayList<>();
    for (int i = versions.size() - 1; i >= 0; i--) {
      SubjectVersion old = versions.get(i);
      List<String> found = level.check(candidate, List.of(CanonicalSchema.parse(old.schema()).schema()));
      if (!found.isEmpty()) {
        messages.addAll(found);
        messages.add("{oldSchemaVersion: " + old.version() + "}");
        messages.add("{oldSchema: '" + old.schema() + "'}");
      }
    }
    if (!messages.isEmpty()) {
      messages.add("{compatibility: '" + level.name() + "'}");
    }
    return messages;
  }
}
