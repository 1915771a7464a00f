package dev.sluice.schemaregistry;

import dev.sluice.schemas.registry.CompatibilityLevel;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to the registry's state, as a {@link SchemaStore} keeps it. Replaying every record in
 * order rebuilds the state; in Kafka each record is keyed so that compaction keeps the latest
 * change per key and still replays to the same state.
 */
public sealed interface StoreRecord
    permits SubjectVersion, StoreRecord.VersionErased, StoreRecord.SubjectDeleted,
        StoreRecord.CompatibilitySet, StoreRecord.CompatibilityCleared {

  /**
   * A version of a subject was permanently deleted (a tombstone for its {@link SubjectVersion}).
   *
   * @param subject the subject
   * @param version the version removed
   */
  record VersionErased(String subject, int version) implements StoreRecord {
    /** Requires a subject. */
    public VersionErased {
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * A subject was soft-deleted: every version up to and including {@code version} is marked deleted.
   *
   * @param subject the subject
   * @param version the highest version deleted
   */
  record SubjectDeleted(String subject, int version) implements StoreRecord {
    /** Requires a subject. */
    public SubjectDeleted {
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * A compatibility level was set globally (empty subject) or for one subject.
   *
   * @param subject the subject, or empty for the global level
   * @param level the level now in force
   */
  record CompatibilitySet(Optional<String> subject, CompatibilityLevel level) implements StoreRecord {
    /** Requires both parts. */
    public CompatibilitySet {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(level, "level");
    }
  }

  /**
   * A compatibility level was removed: a subject falls back to the global level, the global level
   * to BACKWARD.
   *
   * @param subject the subject, or empty for the global level
   */
  record CompatibilityCleared(Optional<String> subject) implements StoreRecord {
    /** Requires the scope. */
    public CompatibilityCleared {
      Objects.requireNonNull(subject, "subject");
    }
  }
}
