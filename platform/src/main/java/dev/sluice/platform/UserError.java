package dev.sluice.platform;

/** A problem the user can act on: printed as one line, without a stack trace. */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong and what to do about it */
  public UserError(String message) {
    super(message);
  }

  /** @param message what went wrong and what to do about it */
  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
