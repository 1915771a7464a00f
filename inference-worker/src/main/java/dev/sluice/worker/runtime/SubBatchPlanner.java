package dev.sluice.worker.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts a micro-batch into the sub-batches that go through the model, one padded tensor each.
 * Padding is the enemy on CPU, so inputs are sorted by length and neighbours go together; each
 * sub-batch holds at most {@code maxRows} rows and {@code maxPaddedTokens} padded tokens (a row
 * longer than that goes alone), and a batch is cut into at least as many sub-batches as there are
 * predictors (while it has rows) so that every predictor gets work.
 *
 * @param maxRows most rows in one sub-batch
 * @param maxPaddedTokens most rows x padded length in one sub-batch
 * @param predictors predictors that run sub-batches in parallel
 */
record SubBatchPlanner(int maxRows, long maxPaddedTokens, int predictors) {

  SubBatchPlanner {
    if (maxRows < 1 || maxPaddedTokens < 1 || predictors < 1) {
      throw new IllegalArgumentException("maxRows, maxPaddedTokens and predictors must be >= 1");
    }
  }

  /**
   * One sub-batch: indexes into the micro-batch, shortest first, and its padded length.
   *
   * @param indexes positions of its inputs in the micro-batch
   * @param paddedLength the length every row is padded to
   */
  record SubBatch(int[] indexes, int paddedLength) {
    /** Rows x padded length. */
    long paddedTokens() {
      return (long) indexes.length * paddedLength;
    }
  }

  /**
   * Plans the sub-batches for inputs of the given lengths, costliest first (so that parallel
   * predictors finish close together).
   */
  List<SubBatch> plan(int[] lengths) {
    int count = lengths.length;
    if (count == 0) {
      return List.of();
    }
    int rowsPerSubBatch = Math.max(1, Math.min(maxRows, ceilDiv(count, predictors)));
    int[] order = IntStream.range(0, count).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> lengths[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
    List<SubBatch> plan = new ArrayList<>();
    int start = 0;
    while (start < count) {
      int end = start + 1;
      while (end < count && end - start < rowsPerSubBatch
          && (long) (end - start + 1) * Math.max(1, lengths[order[end]]) <= maxPaddedTokens) {
        end++;
      }
      int[] indexes = java.util.Arrays.copyOfRange(order, start, end);
      plan.add(new SubBatch(indexes, Math.max(1, lengths[order[end - 1]])));
      start = end;
    }
    plan.sort(Comparator.comparingLong(SubBatch::paddedTokens).reversed());
    return plan;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
