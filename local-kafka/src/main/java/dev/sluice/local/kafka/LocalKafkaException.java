package dev.sluice.local.kafka;

/**
 * The local Kafka broker could not start (or stop) for a reason the user can act on. The message
 * says what went wrong and what to do; {@link #reason()} lets callers branch without parsing it.
 */
public final class LocalKafkaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the broker failed. */
  public enum Reason {
    /** The broker or controller port is held by another process. */
    PORT_IN_USE,
    /** The configured host name does not resolve to an address. */
    HOST_UNRESOLVED,
    /** The data directory cannot be created or written. */
    DATA_DIR_NOT_WRITABLE,
    /** Another broker (in this or another process) is using the data directory. */
    DATA_DIR_IN_USE,
    /** The data directory was formatted for a different cluster id. */
    CLUSTER_ID_MISMATCH,
    /** The data directory was formatted for a different node id. */
    NODE_ID_MISMATCH,
    /** The broker did not become ready within the startup timeout. */
    STARTUP_TIMED_OUT,
    /** Kafka itself failed while formatting, starting or stopping. */
    BROKER_FAILED
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the broker failed
   * @param message what went wrong and what the user can do about it
   */
  public LocalKafkaException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * Creates the exception with the underlying cause.
   *
   * @param reason why the broker failed
   * @param message what went wrong and what the user can do about it
   * @param cause the failure Kafka or the operating system reported
   */
  public LocalKafkaException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the broker failed. */
  public Reason reason() {
    return reason;
  }
}
