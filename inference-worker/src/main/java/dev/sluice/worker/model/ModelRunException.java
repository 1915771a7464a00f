package dev.sluice.worker.model;

/** A batch failed inside the model; the message is carried into ERROR results. */
public final class ModelRunException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what failed */
  public ModelRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
