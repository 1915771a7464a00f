package dev.sluice.schemaregistry;

/** The registry's HTTP port is taken by another process, so the registry cannot listen on it. */
public final class RegistryPortInUseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int port;

  /**
   * @param port the port that could not be bound
   * @param cause the bind failure
   */
  public RegistryPortInUseException(int port, Throwable cause) {
    super("port " + port + " is already in use; pass --registry-port or stop the other process", cause);
    this.port = port;
  }

  /** The port that could not be bound. */
  public int port() {
    return port;
  }
}
