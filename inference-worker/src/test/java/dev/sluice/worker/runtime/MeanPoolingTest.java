package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanPoolingTest {

  @Test
  void averagesOnlyTheRealTokensThenNormalizes() {
    // two rows, padded length 3, dimension 2; row 0 has 2 real tokens, row 1 has 3
    float[] hidden = {
        1, 0, 3, 0, 100, 100,
        0, 1, 0, 2, 0, 3};

    float[][] vectors = MeanPooling.poolAndNormalize(hidden, new int[] {2, 3}, 3, 2);

    assertThat(vectors[0]).containsExactly(new float[] {1, 0}, within(1e-7f));
    assertThat(vectors[1]).containsExactly(new float[] {0, 1}, within(1e-7f));
  }

  @Test
  void givesAUnitVector() {
    float[][] vectors = MeanPooling.poolAndNormalize(new float[] {3, 4}, new int[] {1}, 1, 2);

    assertThat(vectors[0]).containsExactly(new float[] {0.6f, 0.8f}, within(1e-7f));
  }

  @Test
  void leavesAZeroVectorZeroInsteadOfDividingByZero() {
    float[][] vectors = MeanPooling.poolAndNormalize(new float[] {0, 0}, new int[] {1}, 1, 2);

    assertThat(vectors[0]).containsExactly(0f, 0f);
  }
}
