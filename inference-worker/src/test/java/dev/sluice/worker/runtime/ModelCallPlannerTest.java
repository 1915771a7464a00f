package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.worker.runtime.ModelCallPlanner.ModelCall;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModelCallPlannerTest {

  @Test
  void groupsInputsOfSimilarLengthSoThatLittleIsPadded() {
    int[] lengths = {30, 5, 29, 6, 31, 4};

    List<ModelCall> plan = new ModelCallPlanner(3, 10_000, 1).plan(lengths);

    assertThat(plan).hasSize(2);
    assertThat(plan.get(0).indexes()).containsExactly(2, 0, 4);
    assertThat(plan.get(0).paddedLength()).isEqualTo(31);
    assertThat(plan.get(1).indexes()).containsExactly(5, 1, 3);
    assertThat(plan.get(1).paddedLength()).isEqualTo(6);
  }

  @Test
  void coversEveryInputExactlyOnce() {
    int[] lengths = IntStream.range(0, 101).map(i -> (i * 37) % 50 + 3).toArray();

    List<ModelCall> plan = new ModelCallPlanner(8, 10_000, 2).plan(lengths);

    int[] covered = plan.stream().flatMapToInt(b -> Arrays.stream(b.indexes())).sorted().toArray();
    assertThat(covered).containsExactly(IntStream.range(0, 101).toArray());
    assertThat(plan).allSatisfy(b -> assertThat(b.indexes().length).isLessThanOrEqualTo(8));
  }

  @Test
  void aSmallBatchIsCutWhereThePredictorsGetEvenWorkNotEvenRows() {
    int[] lengths = {48, 10, 45, 12, 40, 14, 30, 16};

    List<ModelCall> plan = new ModelCallPlanner(8, 10_000, 2).plan(lengths);

    // Four and four rows would be 64 against 192 padded tokens; five and three are 150 against 144.
    assertThat(plan).extracting(ModelCall::paddedTokens).containsExactly(150L, 144L);
    assertThat(plan.get(0).indexes()).containsExactly(1, 3, 5, 7, 6);
    assertThat(plan.get(1).indexes()).containsExactly(4, 2, 0);
  }

  @Test
  void givesEveryPredictorWorkWhenTheBatchIsSmall() {
    List<ModelCall> plan = new ModelCallPlanner(8, 10_000, 2).plan(new int[] {10, 11, 12, 13});

    assertThat(plan).hasSize(2);
    assertThat(plan).allSatisfy(b -> assertThat(b.indexes()).hasSize(2));
  }

  @Test
  void keepsPaddedTokensUnderTheLimitAndSendsAnOverlongInputAlone() {
    List<ModelCall> plan = new ModelCallPlanner(8, 100, 1).plan(new int[] {20, 20, 20, 20, 20, 20, 300});

    assertThat(plan).allSatisfy(b -> assertThat(b.indexes().length == 1 || b.paddedTokens() <= 100).isTrue());
    assertThat(plan.get(0).indexes()).containsExactly(6);
    assertThat(plan.get(0).paddedTokens()).isEqualTo(300);
  }

  @Test
  void putsTheCostliestModelCallFirst() {
    List<ModelCall> plan = new ModelCallPlanner(2, 10_000, 1).plan(new int[] {3, 50, 4, 49, 20, 21});

    assertThat(plan).extracting(ModelCall::paddedTokens).containsExactly(100L, 42L, 8L);
  }

  @Test
  void plansNothingForAnEmptyBatch() {
    assertThat(new ModelCallPlanner(8, 100, 2).plan(new int[0])).isEmpty();
  }
}
