package dev.sluice.schemaregistry;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * An Avro schema parsed from the text a client sent, with its canonical text: Avro's compact
 * {@code Schema.toString()} form, which is what the registry stores and serves and what decides
 * whether two registrations are "the same schema" (whitespace and key order in the client's text
 * do not matter).
 *
 * @param text the canonical text
 * @param schema the parsed schema
 */
record CanonicalSchema(String text, Schema schema) {

  static final String AVRO = "AVRO";

  /**
   * Parses a client's schema text.
   *
   * @throws RegistryApiException 42201 when the text is empty or not a valid Avro schema
   */
  static CanonicalSchema parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw RegistryApiException.invalidSchema("Empty schema");
    }
    try {
      Schema schema = new Schema.Parser().parse(raw);
      return new CanonicalSchema(schema.toString(), schema);
    } catch (AvroRuntimeException | IllegalArgumentException e) {
      throw RegistryApiException.invalidSchema("Invalid schema of type " + AVRO + ", details: " + e.getMessage());
    }
  }
}
