package dev.sluice.worker.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Plans the model calls a batch is run in, one padded tensor each.
 * Padding is the enemy on CPU, so inputs are sorted by length and neighbours go together; each
 * model call holds at most {@code maxRows} rows and {@code maxPaddedTokens} padded tokens (a row
 * longer than that goes alone), and a batch is cut into at least as many model calls as there are
 * predictors (while it has rows) so that every predictor gets work.
 *
 * @param maxRows most rows in one model call
 * @param maxPaddedTokens most rows x padded length in one model call
 * @param predictors predictors that run model calls in parallel
 */
record ModelCallPlanner(int maxRows, long maxPaddedTokens, int predictors) {

  ModelCallPlanner {
    if (maxRows < 1 || maxPaddedTokens < 1 || predictors < 1) {
      throw new IllegalArgumentException("maxRows, maxPaddedTokens and predictors must be >= 1");
    }
  }

  /**
   * One model call: indexes into the batch, shortest first, and its padded length.
   *
   * @param indexes positions of its inputs in the batch
   * @param paddedLength the length every row is padded to
   */
  record ModelCall(int[] indexes, int paddedLength) {
    /** Rows x padded length. */
    long paddedTokens() {
      return (long) indexes.length * paddedLength;
    }
  }

  /**
   * Plans the model calls for inputs of the given lengths, costliest first (so that parallel
   * predictors finish close together).
   */
  List<ModelCall> plan(int[] lengths) {
    int count = lengths.length;
    if (count == 0) {
      return List.of();
    }
    int rowsPerCall = Math.max(1, Math.min(maxRows, ceilDiv(count, predictors)));
    int[] order = IntStream.range(0, count).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> lengths[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
    List<ModelCall> plan = new ArrayList<>();
    int start = 0;
    while (start < count) {
      int end = start + 1;
      while (end < count && end - start < rowsPerCall
          && (long) (end - start + 1) * Math.max(1, lengths[order[end]]) <= maxPaddedTokens) {
        end++;
      }
      int[] indexes = java.util.Arrays.copyOfRange(order, start, end);
      plan.add(new ModelCall(indexes, Math.max(1, lengths[order[end - 1]])));
      start = end;
    }
    plan.sort(Comparator.comparingLong(ModelCall::paddedTokens).reversed());
    return plan;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
