package dev.sluice.schemas.registry;

/**
 * The registry answered with something this client cannot use: a body that is not the JSON the
 * Confluent API documents, or a schema text that does not parse. Points at a wrong URL (not a
 * registry) or a registry bug; never retried.
 */
public final class SchemaRegistryProtocolException extends SchemaRegistryException {
  /** Creates one for an unusable answer with the given HTTP status. */
  public SchemaRegistryProtocolException(String message, int httpStatus, Throwable cause) {
    super(message, httpStatus, NO_STATUS, cause);
  }
}
