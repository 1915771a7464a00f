package dev.sluice.worker;

import java.time.Instant;

/** What became of one request in the worker: answered, failed, or expired before inference. */
sealed interface InferenceOutcome {

  /**
   * The model answered.
   *
   * @param output an {@code Embedding}, {@code ClassScores} or {@code Tensor}
   * @param batchSize requests in the model call that produced it: its batch, or the part of it a
   *     bisection ran
   * @param inferenceNanos model time of that call
   * @param inputTokens tokens the input had, -1 when not counted
   */
  record Ok(Object output, int batchSize, long inferenceNanos, int inputTokens) implements InferenceOutcome {

    /** An output whose input's tokens were not counted. */
    Ok(Object output, int batchSize, long inferenceNanos) {
      this(output, batchSize, inferenceNanos, -1);
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
   * The deadline passed before inference; the model never saw the request.
   *
   * @param deadline the request's deadline
   */
  record Expired(Instant deadline) implements InferenceOutcome {}
}
