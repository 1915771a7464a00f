package dev.sluice.schemas.registry;

/**
 * The registry refused a request as invalid: HTTP 422 with {@value #INVALID_SCHEMA} (invalid
 * schema), {@value #INVALID_VERSION} (invalid version) or {@value #INVALID_COMPATIBILITY_LEVEL}
 * (invalid compatibility level), or another 4xx status that no other type covers. Never retried.
 */
public final class InvalidSchemaRegistryRequestException extends SchemaRegistryException {
  /** Creates one for a refused request. */
  public InvalidSchemaRegistryRequestException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }

  /** Whether the registry found the schema itself invalid ({@value #INVALID_SCHEMA}). */
  public boolean invalidSchema() {
    return errorCode() == INVALID_SCHEMA;
  }
}
