package dev.sluice.worker.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float tensor in row-major order; when batched, its first dimension counts rows.
 *
 * @param shape dimensions, outermost first
 * @param values element values, as many as the shape's product
 */
record TensorRows(long[] shape, float[] values) {
  TensorRows {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    long product = 1;
    for (long dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      product *= dimension;
    }
    if (product != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + product + " values, but "
          + values.length + " were given");
    }
  }

  /** The shape without its first dimension: what rows batched together must share. */
  long[] rowShape() {
    return Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** The first dimension. */
  long rows() {
    return shape[0];
  }
}
