package dev.sluice.schemaregistry;

/**
 * The registry could not start: its Kafka topic could not be created, is unfit (more than one
 * partition, not compacted), could not be read to its end in time, or the HTTP server failed.
 */
public final class RegistryStartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the topic or address involved
   * @param cause the underlying failure, or null
   */
  public RegistryStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
