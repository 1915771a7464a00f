package dev.sluice.worker;

/**
 * The worker cannot go on: a fenced producer, missing authorization, a transient failure that
 * outlasted its retries. The loop stops, closes its clients and reports this; the process exits
 * non-zero so that an orchestrator restarts it.
 */
public final class WorkerFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed and what it means */
  public WorkerFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
