package dev.sluice.schemaregistry;

/**
 * A {@link SchemaStore} failed to read or durably write a record. The registry answers the HTTP
 * request that caused the write with a 500 and error code 50001.
 */
public class SchemaStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed
   * @param cause the underlying failure, or null
   */
  public SchemaStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
