package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.Fixtures.row;
import static dev.sluice.preprocessing.Fixtures.stats;
import static dev.sluice.preprocessing.Fixtures.tabularLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TabularNormalizerTest {
  private static final List<FeatureStats> STATS = List.of(
      stats("age", 40, 10, 20, 70, null),
      stats("income", 50_000, 20_000, 0, 200_000, 30_000.0),
      stats("constant", 5, 0, 5, 5, null));

  private final TabularNormalizer normalizer = new TabularNormalizer();

  private Outcome<TabularInput> normalize(TabularInput row, Scaling scaling, UnknownFeaturePolicy policy) {
    return normalizer.normalize(row, tabularLimits(Optional.empty(), STATS, scaling, policy));
  }

  private static Map<String, Double> features(Outcome<TabularInput> outcome) {
    assertThat(outcome.isAccepted()).as("%s", outcome).isTrue();
    return ((Outcome.Accepted<TabularInput>) outcome).value().getFeatures();
  }

  @Test
  void standardizesEachFeatureWithItsStatistics() {
    Map<String, Double> out = features(normalize(row("age", 60, "income", 10_000, "constant", 9),
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT));

    assertThat(out).containsExactly(Map.entry("age", 2.0), Map.entry("income", -2.0), Map.entry("constant", 0.0));
  }

  @Test
  void minMaxScalesEachFeatureWithItsRange() {
    Map<String, Double> out = features(normalize(row("constant", 1, "income", 50_000, "age", 45),
        Scaling.MIN_MAX, UnknownFeaturePolicy.REJECT));

    assertThat(out).containsExactly(Map.entry("age", 0.5), Map.entry("income", 0.25), Map.entry("constant", 0.0));
  }

  @Test
  void imputesMissingAndNullFeaturesWithImputeValueElseMean() {
    Map<String, Double> out = features(normalize(row("age", null), Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT));

    assertThat(out).containsExactly(Map.entry("age", 0.0), Map.entry("income", -1.0), Map.entry("constant", 0.0));
  }

  @Test
  void imputedValuesAreScaledLikeGivenOnes() {
    Map<String, Double> out = features(normalize(row(), Scaling.MIN_MAX, UnknownFeaturePolicy.REJECT));

    assertThat(out.get("age")).isCloseTo(0.4, within(1e-12));
    assertThat(out.get("income")).isCloseTo(0.15, within(1e-12));
  }

  @Test
  void rejectsUnknownFeaturesNamingThemUnderReject() {
    Outcome<TabularInput> outcome = normalize(row("age", 1, "zip", 2, "colour", 3), Scaling.STANDARDIZE,
        UnknownFeaturePolicy.REJECT);

    assertThat(outcome).isEqualTo(Outcome.rejected(ReasonCode.UNKNOWN_FEATURE,
        "input.features has features the model does not expect: [colour, zip]; expected [age, income, constant]"));
  }

  @Test
  void dropsUnknownFeaturesUnderDrop() {
    Map<String, Double> out = features(normalize(row("zip", 2, "age", 50), Scaling.STANDARDIZE,
        UnknownFeaturePolicy.DROP));

    assertThat(out).containsOnlyKeys("age", "income", "constant").containsEntry("age", 1.0);
  }

  @Test
  void rejectsMissingFeatureWithoutStatisticsAsMissingField() {
    EffectiveLimits limits = tabularLimits(Optional.of(List.of("age", "height", "weight")), STATS,
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    Outcome<TabularInput> outcome = normalizer.normalize(row("age", 40, "weight", null), limits);

    assertThat(outcome).isEqualTo(Outcome.rejected(ReasonCode.MISSING_FIELD,
        "input.features lacks [height, weight] and the model has no statistics to impute them from"));
  }

  @Test
  void featureNamesDecideOrderAndMembershipAndFeaturesWithoutStatsPassUnscaled() {
    EffectiveLimits limits = tabularLimits(Optional.of(List.of("height", "age")), STATS,
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    Map<String, Double> out = features(normalizer.normalize(row("age", 50, "height", 1.8), limits));

    assertThat(out).containsExactly(Map.entry("height", 1.8), Map.entry("age", 1.0));
  }

  @Test
  void featureWithStatsButNotInFeatureNamesIsUnknown() {
    EffectiveLimits limits = tabularLimits(Optional.of(List.of("age")), STATS,
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    assertThat(normalizer.normalize(row("age", 50, "income", 1), limits))
        .isEqualTo(Outcome.rejected(ReasonCode.UNKNOWN_FEATURE,
            "input.features has features the model does not expect: [income]; expected [age]"));
  }

  @Test
  void withoutNamesOrStatsAcceptsTheRowSortedByNameUnscaled() {
    EffectiveLimits limits = tabularLimits(Optional.empty(), List.of(), Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    Map<String, Double> out = features(normalizer.normalize(row("b", 2, "c", 3, "a", 1), limits));

    assertThat(out).containsExactly(Map.entry("a", 1.0), Map.entry("b", 2.0), Map.entry("c", 3.0));
  }

  @Test
  void withoutNamesOrStatsANullValueCannotBeImputed() {
    EffectiveLimits limits = tabularLimits(Optional.empty(), List.of(), Scaling.MIN_MAX, UnknownFeaturePolicy.DROP);

    assertThat(normalizer.normalize(row("a", 1, "b", null), limits)).isEqualTo(Outcome.rejected(
        ReasonCode.MISSING_FIELD, "input.features lacks [b] and the model has no statistics to impute them from"));
  }

  @Test
  void rejectsValueThatScalesBeyondDoubleRange() {
    EffectiveLimits limits = tabularLimits(Optional.empty(), List.of(stats("x", 0, 1e-300, 0, 1, null)),
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    Outcome<TabularInput> outcome = normalizer.normalize(row("x", 1e300), limits);

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(ReasonCode.NON_FINITE_NUMBER));
  }

  @Test
  void rejectsNonFiniteValueWhenCalledWithoutValidation() {
    assertThat(normalize(row("age", Double.NaN), Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT))
        .isEqualTo(Outcome.rejected(ReasonCode.NON_FINITE_NUMBER, "input.features[\"age\"] is NaN"));
  }

  @Test
  void randomRowsAlwaysComeOutWithEveryExpectedFeatureInOrderAndFinite() {
    Random random = new Random(42);
    List<String> names = List.of("age", "income", "constant");
    for (int i = 0; i < 5_000; i++) {
      Map<String, Double> features = new LinkedHashMap<>();
      for (String name : List.of("income", "zip", "age", "constant")) {
        int pick = random.nextInt(4);
        if (pick == 1) {
          features.put(name, null);
        } else if (pick > 1) {
          features.put(name, (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12)));
        }
      }
      Scaling scaling = random.nextBoolean() ? Scaling.STANDARDIZE : Scaling.MIN_MAX;

      Outcome<TabularInput> outcome = normalize(new TabularInput(features), scaling, UnknownFeaturePolicy.DROP);

      Map<String, Double> out = features(outcome);
      assertThat(List.copyOf(out.keySet())).isEqualTo(names);
      assertThat(out.values()).allSatisfy(v -> assertThat(Double.isFinite(v)).isTrue());
      assertThat(normalize(new TabularInput(features), scaling, UnknownFeaturePolicy.DROP)).isEqualTo(outcome);
    }
  }
}
