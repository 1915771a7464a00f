package dev.sluice.schemas.registry;

/**
 * No registry URL answered (connection refused, timeout, TLS failure, interrupted) after every
 * retry. A transient infrastructure failure: callers should fail loudly rather than treat the
 * data as bad. {@link #httpStatus()} and {@link #errorCode()} are {@value #NO_STATUS}.
 */
public final class SchemaRegistryUnavailableException extends SchemaRegistryException {
  /** Creates one with the last I/O failure as its cause. */
  public SchemaRegistryUnavailableException(String message, Throwable cause) {
    super(message, NO_STATUS, NO_STATUS, cause);
  }
}
