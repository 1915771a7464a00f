package dev.sluice.worker.model;

import java.util.List;

/**
 * The outputs of one batch.
 *
 * @param outputs one per input, in input order: {@code dev.sluice.avro.Embedding},
 *     {@code ClassScores} or {@code Tensor}
 * @param realTokens tokens (or elements) the inputs really had
 * @param paddedTokens tokens (or elements) the model computed, padding included
 * @param inferenceNanos wall time spent in the model
 * @param inputTokens tokens each input had, in input order (special tokens included), for text
 *     inputs the tokenizer counted one by one; empty otherwise
 * @param endpoint the name of the deployment's endpoint that answered, or null for a version run
 *     locally without endpoints
 */
public record BatchResult(List<Object> outputs, long realTokens, long paddedTokens, long inferenceNanos, List<Integer> inputTokens,
    String endpoint) {
  public BatchResult {
    outputs = List.copyOf(outputs);
    inputTokens = List.copyOf(inputTokens);
    if (!inputTokens.isEmpty() && inputTokens.size() != outputs.size()) {
      throw new IllegalArgumentException(inputTokens.size() + " token counts for " + outputs.size() + " outputs");
    }
  }

  /** A batch run locally, without endpoints. */
  public BatchResult(List<Object> outputs, long realTokens, long paddedTokens, long inferenceNanos, List<Integer> inputTokens) {
    this(outputs, realTokens, paddedTokens, inferenceNanos, inputTokens, null);
  }

  /** A batch whose inputs have no token counts of their own (tensors, rows, text pairs). */
  public BatchResult(List<Object> outputs, long realTokens, long paddedTokens, long inferenceNanos) {
    this(outputs, realTokens, paddedTokens, inferenceNanos, List.of());
  }

  /** The tokens input {@code i} had, or -1 when not counted. */
  public int inputTokens(int i) {
    return inputTokens.isEmpty() ? -1 : inputTokens.get(i);
  }

  /** The same outputs and counts, with the wall time spent in the model. */
  public BatchResult timed(long nanos) {
    return new BatchResult(outputs, realTokens, paddedTokens, nanos, inputTokens, endpoint);
  }

  /** The same outputs and counts, answered by the named endpoint. */
  public BatchResult answeredBy(String name) {
    return new BatchResult(outputs, realTokens, paddedTokens, inferenceNanos, inputTokens, name);
  }
}
