package dev.sluice.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry knows it.
 *
 * @param subject the subject, e.g. {@code sluice.requests-value}
 * @param id the registry-wide schema id that goes into the wire format
 * @param version the version under the subject, from 1
 * @param schema the Avro schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
  /** Checks that subject and schema are present. */
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
