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
 */
public record BatchResult(List<Object> outputs, long realTokens, long paddedTokens, long inferenceNanos) {
  public BatchResult {
    outputs = List.copyOf(outputs);
  }
}
