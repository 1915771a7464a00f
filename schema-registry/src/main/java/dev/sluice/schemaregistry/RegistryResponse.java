package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;

/** What a route answers: a JSON document, or a raw text body (a schema served as-is). */
sealed interface RegistryResponse {

  /** The HTTP status. */
  int status();

  /**
   * A JSON body.
   *
   * @param status the HTTP status
   * @param body the document
   */
  record Json(int status, JsonNode body) implements RegistryResponse {}

  /**
   * A body sent verbatim.
   *
   * @param status the HTTP status
   * @param body the text, already JSON
   */
  record Raw(int status, String body) implements RegistryResponse {}

  /** 200 with a JSON document. */
  static RegistryResponse ok(JsonNode body) {
    return new Json(200, body);
  }
}
