package dev.sluice.schemaregistry;

/**
 * A {@link SchemaStore} write was not acknowledged in time. The registry answers with a 500 and
 * error code 50002; the record may still land later, so the registry never reuses the schema id
 * that the write carried.
 */
public final class SchemaStoreTimeoutException extends SchemaStoreException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what timed out
   * @param cause the underlying timeout
   */
  public SchemaStoreTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
