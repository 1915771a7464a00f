package dev.sluice.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * A subject's compatibility level, as the Confluent schema registry defines it. The checks use
 * Avro's own {@link SchemaCompatibility}: BACKWARD means the new schema can read data written
 * with the old one, FORWARD the reverse, FULL both; the transitive levels hold the new schema
 * against every earlier version instead of only the latest.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** Parses a level name as the registry's REST API spells it, case-insensitively. */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True when a candidate is held against every earlier version, not only the latest. */
  public boolean isTransitive() {
    return transitive;
  }

  /**
   * Checks a candidate schema against the versions already registered under a subject.
   *
   * @param candidate the schema to be registered
   * @param existing the registered versions, oldest first
   * @return the incompatibilities found, one message each; empty when compatible
   */
  public List<String> check(Schema candidate, List<Schema> existing) {
    if (this == NONE || existing.isEmpty()) {
      return List.of();
    }
    List<Schema> against = transitive ? existing : List.of(existing.get(existing.size() - 1));
    return against.stream()
        .flatMap(old -> problems(candidate, old).stream())
        .distinct()
        .collect(Collectors.toList());
  }

  private List<String> problems(Schema candidate, Schema old) {
    List<String> out = new ArrayList<>();
    if (backward) {
      describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "new schema cannot read data written with an earlier one", out);
    }
    if (forward) {
      describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "an earlier schema cannot read data written with the new one", out);
    }
    return out;
  }

  private static void describe(SchemaPairCompatibility result, String direction, List<String> out) {
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    result.getResult().getIncompatibilities().forEach(i -> out.add(direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage()));
  }
}
