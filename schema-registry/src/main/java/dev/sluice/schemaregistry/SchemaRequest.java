package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of register, lookup and compatibility requests: {@code {"schema": "...", "schemaType":
 * "AVRO", "references": []}}. Other fields Confluent's clients may send ({@code id}, {@code
 * version}, {@code metadata}, {@code ruleSet}) are ignored.
 *
 * @param schema the schema text, or null when absent
 */
record SchemaRequest(String schema) {

  /**
   * Reads and checks a request body.
   *
   * @throws RegistryApiException 400 when a field has the wrong JSON type, 42201 for a schema type
   *     other than AVRO or for schema references, which this registry does not support
   */
  static SchemaRequest from(JsonNode body) {
    JsonNode schema = body.path("schema");
    if (schema.isContainerNode()) {
      throw RegistryApiException.malformedJson("Field 'schema' must be a string holding the schema's JSON");
    }
    JsonNode type = body.path("schemaType");
    if (!type.isMissingNode() && !type.isNull()) {
      if (!type.isTextual()) {
        throw RegistryApiException.malformedJson("Field 'schemaType' must be a string");
      }
      if (!type.asText().equalsIgnoreCase(CanonicalSchema.AVRO)) {
        throw RegistryApiException.invalidSchema("Invalid schema type " + type.asText() + "; this registry supports only " + CanonicalSchema.AVRO);
      }
    }
    JsonNode references = body.path("references");
    if (!references.isMissingNode() && !references.isNull()) {
      if (!references.isArray()) {
        throw RegistryApiException.malformedJson("Field 'references' must be an array");
      }
      if (!references.isEmpty()) {
        throw RegistryApiException.invalidSchema("Schema references are not supported by this registry");
      }
    }
    return new SchemaRequest(schema.isMissingNode() || schema.isNull() ? null : schema.asText());
  }
}
