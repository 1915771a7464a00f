package dev.sluice.schemas.registry;

/**
 * The registry kept failing (HTTP 5xx, e.g. {@value #BACKEND_STORE_ERROR} backend store error,
 * {@value #OPERATION_TIMEOUT} operation timeout, {@value #FORWARDING_ERROR} forwarding error) or
 * throttling (HTTP 429) after every retry. A transient infrastructure failure: callers should
 * fail loudly rather than treat the data as bad.
 */
public final class SchemaRegistryServerException extends SchemaRegistryException {
  /** Creates one for the last 5xx or 429 answer. */
  public SchemaRegistryServerException(String message, int httpStatus, int errorCode) {
    super(message, httpStatus, errorCode, null);
  }
}
