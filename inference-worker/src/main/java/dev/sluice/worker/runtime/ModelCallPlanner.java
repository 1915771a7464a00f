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
 * predictors (while it has rows) so that every predictor gets work. A batch that fits in one model
 * call per predictor is cut where the calls' padded tokens come out most even (not into equal row
 * counts): the predictors run those calls side by side and the batch waits for the slowest, so
 * four long rows against four short ones would leave one predictor idle for most of the call.
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
    List<ModelCall> plan = predictors > 1 && count <= (long) predictors * maxRows ? balanced(lengths, order) : null;
    if (plan != null) {
      plan.sort(Comparator.comparingLong(ModelCall::paddedTokens).reversed());
      return plan;
    }
    plan = new ArrayList<>();
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

  /**
   * The sorted inputs cut into at most {@code predictors} contiguous model calls whose largest
   * padded token count is the smallest possible (within the row and token limits), or null when
   * the limits allow no such cut.
   */
  private List<ModelCall> balanced(int[] lengths, int[] order) {
    long low = 1;
    long high = (long) order.length * Math.max(1, lengths[order[order.length - 1]]);
    if (cut(lengths, order, high) == null) {
      return null;
    }
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (cut(lengths, order, middle) != null) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return cut(lengths, order, high);
  }

  /** Greedy cut with no call above {@code limit} padded tokens; null when it needs more calls than predictors. */
  private List<ModelCall> cut(int[] lengths, int[] order, long limit) {
    List<ModelCall> calls = new ArrayList<>(predictors);
    int start = 0;
    while (start < order.length) {
      if (calls.size() == predictors || Math.max(1, lengths[order[start]]) > Math.min(limit, maxPaddedTokens)) {
        return null;
      }
      int end = start + 1;
      while (end < order.length && end - start < maxRows) {
        long tokens = (long) (end - start + 1) * Math.max(1, lengths[order[end]]);
        if (tokens > limit || tokens > maxPaddedTokens) {
          break;
        }
        end++;
      }
      calls.add(new ModelCall(java.util.Arrays.copyOfRange(order, start, end), Math.max(1, lengths[order[end - 1]])));
      start = end;
    }
    return calls;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
