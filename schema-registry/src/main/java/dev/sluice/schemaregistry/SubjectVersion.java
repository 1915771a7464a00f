package dev.sluice.schemaregistry;

import java.util.Objects;

/**
 * A schema registered under a subject at a version, with its global id. Also the {@link
 * StoreRecord} that registers or soft-deletes it.
 *
 * @param subject the subject
 * @param version the version within the subject, from 1
 * @param id the global schema id, shared by every subject that registered the same schema
 * @param schema the schema in Avro's canonical JSON form (as {@code Schema.toString()} prints it)
 * @param deleted whether the version is soft-deleted
 */
public record SubjectVersion(String subject, int version, int id, String schema, boolean deleted) implements StoreRecord {

  /** Requires a subject and a schema, a positive version and id. */
  public SubjectVersion {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    if (version < 1 || id < 0) {
      throw new IllegalArgumentException("version must be >= 1 and id >= 0, got version " + version + " id " + id);
    }
  }

  /** The same version, soft-deleted. */
  public SubjectVersion asDeleted() {
    return new SubjectVersion(subject, version, id, schema, true);
  }
}
