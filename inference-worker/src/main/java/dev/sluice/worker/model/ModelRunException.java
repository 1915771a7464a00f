package dev.sluice.worker.model;

/**
 * A batch failed inside the model; the message is carried into ERROR results. The worker bisects
 * the batch to isolate the input at fault, except for the two subclasses, which say no input is:
 * {@link EndpointsUnavailableException} and {@link DeadlineExceededException}.
 */
public class ModelRunException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what failed */
  public ModelRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
