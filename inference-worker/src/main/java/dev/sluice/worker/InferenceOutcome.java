package dev.sluice.worker;

import java.time.Instant;

/** What became of one request in the worker: answered, failed, or expired before it was answered. */
sealed interface InferenceOutcome {

  /**
   * The model answered.
   *
   * @param output an {@code Embedding}, {@code ClassScores} or {@code Tensor}
   * @param batchSize requests in the model call that produced it: its batch, or the part of it a
   *     bisection ran
   * @param inferenceNanos model time of that call
   * @param inputTokens tokens the input had, -1 when not counted
   * @param endpoint the deployment's endpoint that answered, null for a version run locally
   *     without endpoints
   */
  record Ok(Object output, int batchSize, long inferenceNanos, int inputTokens, String endpoint) implements InferenceOutcome {

    /** An output whose input's tokens were not counted, of a version run locally. */
    Ok(Object output, int batchSize, long inferenceNanos) {
      this(output, batchSize, inferenceNanos, -1, null);
    }
  }

  /**
   * The request cannot be answered: the model failed on it alone, or its version cannot be served.
   *
   * @param error what went wrong, carried into the ERROR result
   * @param batchSize requests in the model call that failed; 0 when no inference ran
   * @param inferenceNanos model time spent on that call
   */
  record Failed(String error, int batchSize, long inferenceNanos) implements InferenceOutcome {}

  /**
   * The deadline passed before the request was answered: before inference (the model never saw
   * it), or while a remote endpoint was answering its batch (its answer, if any, is not used).
   *
   * @param deadline the request's deadline
   * @param inFlight whether it passed during a remote call rather than before inference
   */
  record Expired(Instant deadline, boolean inFlight) implements InferenceOutcome {

    /** A deadline that passed before inference. */
    Expired(Instant deadline) {
      this(deadline, false);
    }
  }
}
