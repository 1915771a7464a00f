package dev.sluice.worker.model;

/** A model could not be loaded; the message says what to fix. */
public final class ModelLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong and what to do */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
