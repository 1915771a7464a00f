package dev.sluice.worker.remote;

import java.util.List;

/**
 * What an endpoint answered for a batch.
 *
 * @param outputs one per input, in input order: Embedding, ClassScores or Tensor
 * @param promptTokens the tokens the server reports the inputs had ({@code usage.prompt_tokens}),
 *     or -1 when it reports none
 */
record Answer(List<Object> outputs, long promptTokens) {
  Answer {
    outputs = List.copyOf(outputs);
  }

  /** Two answers of consecutive parts of a batch, as one. */
  Answer then(Answer next) {
    List<Object> all = new java.util.ArrayList<>(outputs);
    all.addAll(next.outputs);
    long tokens = promptTokens < 0 || next.promptTokens < 0 ? -1 : promptTokens + next.promptTokens;
    return new Answer(all, tokens);
  }
}
