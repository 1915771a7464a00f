package dev.sluice.worker.model;

/**
 * No endpoint of a model version could answer a batch: every one failed (5xx, timeout, refused
 * connection, after its retries) or had its circuit breaker open. No input is at fault, so the
 * worker does not bisect; it answers none of the flush's requests and reads them again later, so a
 * result is never committed that the model did not give.
 */
public final class EndpointsUnavailableException extends ModelRunException {
  private static final long serialVersionUID = 1L;

  /** @param message which endpoints failed and how */
  public EndpointsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
