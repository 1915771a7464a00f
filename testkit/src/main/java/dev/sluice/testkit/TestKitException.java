package dev.sluice.testkit;

/** The test cluster could not be started, changed or stopped as asked. */
public final class TestKitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and, where possible, what to do
   */
  public TestKitException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed and, where possible, what to do
   * @param cause the underlying failure
   */
  public TestKitException(String message, Throwable cause) {
    super(message, cause);
  }
}
