package dev.sluice.schemas.registry;

/** The registry refused the credentials (HTTP 401) or the operation for them (HTTP 403). */
public final class SchemaRegistryAuthException extends SchemaRegistryException {
  /** Creates one for a 401 or 403 answer. */
  public SchemaRegistryAuthException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
