package dev.sluice.worker.runtime;

/**
 * Sentence-transformers pooling: the mean of the token embeddings under the attention mask, then
 * L2 normalization (with the same epsilons as sentence-transformers and torch's normalize).
 */
final class MeanPooling {
  private static final double MIN_TOKENS = 1e-9;
  private static final double MIN_NORM = 1e-12;

  private MeanPooling() {}

  /**
   * Pools one padded batch.
   *
   * @param hidden token embeddings, row-major [rows, length, dimension]
   * @param lengths real tokens of each row (the rest of the row is padding)
   * @param length padded length
   * @param dimension embedding dimension
   * @return one unit vector per row
   */
  static float[][] poolAndNormalize(float[] hidden, int[] lengths, int length, int dimension) {
    int rows = lengths.length;
    if (hidden.length != (long) rows * length * dimension) {
      throw new IllegalArgumentException("hidden state has " + hidden.length + " values, expected " + rows + " x "
          + length + " x " + dimension);
    }
    float[][] vectors = new float[rows][];
    double[] sum = new double[dimension];
    for (int row = 0; row < rows; row++) {
      java.util.Arrays.fill(sum, 0.0);
      int tokens = Math.min(lengths[row], length);
      int base = row * length * dimension;
      for (int token = 0; token < tokens; token++) {
        int offset = base + token * dimension;
        for (int d = 0; d < dimension; d++) {
          sum[d] += hidden[offset + d];
        }
      }
      double count = Math.max(tokens, MIN_TOKENS);
      double squares = 0.0;
      for (int d = 0; d < dimension; d++) {
        sum[d] /= count;
        squares += sum[d] * sum[d];
      }
      double norm = Math.max(Math.sqrt(squares), MIN_NORM);
      float[] vector = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        vector[d] = (float) (sum[d] / norm);
      }
      vectors[row] = vector;
    }
    return vectors;
  }
}
