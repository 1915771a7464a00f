package dev.sluice.worker.model;

import java.time.Instant;

/**
 * A batch's earliest deadline passed while a remote endpoint was answering it (or before one could
 * be tried). The requests whose deadline passed are answered EXPIRED; the rest run again.
 */
public final class DeadlineExceededException extends ModelRunException {
  private static final long serialVersionUID = 1L;

  private final Instant deadline;

  /**
   * @param deadline the deadline that passed
   * @param message what was cut short
   */
  public DeadlineExceededException(Instant deadline, String message) {
    super(message, null);
    this.deadline = deadline;
  }

  /** The deadline that passed. */
  public Instant deadline() {
    return deadline;
  }
}
