package dev.sluice.schemas.registry;

/** The registry refused a schema (HTTP 409) as incompatible with the subject's earlier versions. */
public final class IncompatibleSchemaException extends SchemaRegistryException {
  /** Creates one for a 409 answer with the given {@code error_code}. */
  public IncompatibleSchemaException(String message, int errorCode) {
    super(message, 409, errorCode, null);
  }
}
