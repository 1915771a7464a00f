package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.Fixtures.deployment;
import static dev.sluice.preprocessing.Fixtures.stats;
import static dev.sluice.preprocessing.Fixtures.withLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectiveLimitsTest {
  private final IngressDefaults defaults =
      new IngressDefaults(100, 2000, true, Scaling.MIN_MAX, UnknownFeaturePolicy.DROP);

  @Test
  void deploymentWithoutLimitsGetsTheDefaults() {
    EffectiveLimits limits = EffectiveLimits.of(deployment("v1", 1, false), defaults);

    assertThat(limits).isEqualTo(new EffectiveLimits(100, 2000, Optional.empty(), Optional.empty(), List.of(),
        true, Scaling.MIN_MAX, UnknownFeaturePolicy.DROP));
  }

  @Test
  void deploymentLimitsOverrideTheDefaultsFieldByField() {
    List<FeatureStats> stats = List.of(stats("age", 40, 10, 18, 90, null));
    ModelDeployment d = withLimits(deployment("v1", 1, false),
        new ModelLimits(512, null, List.of(-1, 384), List.of("age", "income")), stats);

    EffectiveLimits limits = EffectiveLimits.of(d, defaults);

    assertThat(limits.maxTextChars()).isEqualTo(512);
    assertThat(limits.maxPayloadBytes()).isEqualTo(2000);
    assertThat(limits.tensorShape()).contains(List.of(-1, 384));
    assertThat(limits.featureNames()).contains(List.of("age", "income"));
    assertThat(limits.featureStats()).isEqualTo(stats);
    assertThat(limits.lowercase()).isTrue();
    assertThat(limits.scaling()).isEqualTo(Scaling.MIN_MAX);
    assertThat(limits.unknownFeatures()).isEqualTo(UnknownFeaturePolicy.DROP);
  }

  @Test
  void emptyListsInTheDeploymentCountAsUnset() {
    ModelDeployment d = withLimits(deployment("v1", 1, false), new ModelLimits(null, 64, List.of(), List.of()), List.of());

    EffectiveLimits limits = EffectiveLimits.of(d, defaults);

    assertThat(limits.maxPayloadBytes()).isEqualTo(64);
    assertThat(limits.tensorShape()).isEmpty();
    assertThat(limits.featureNames()).isEmpty();
  }

  @Test
  void unusableDeploymentLimitsRaiseTypedErrorNamingTheDeployment() {
    ModelDeployment d = withLimits(deployment("v7", 1, false),
        new ModelLimits(0, null, List.of(3, 0), List.of("a", "a")), List.of(stats("b", Double.NaN, 1, 0, 1, null)));

    assertThatThrownBy(() -> EffectiveLimits.of(d, defaults))
        .isInstanceOf(InvalidDeploymentException.class)
        .hasMessageContaining("deployment minilm:v7")
        .hasMessageContaining("max_text_chars is 0")
        .hasMessageContaining("tensor_shape[1] is 0")
        .hasMessageContaining("feature_names[1] repeats \"a\"")
        .hasMessageContaining("feature_stats[0] (\"b\") has a non-finite")
        .satisfies(e -> {
          assertThat(((InvalidDeploymentException) e).model()).isEqualTo("minilm");
          assertThat(((InvalidDeploymentException) e).version()).isEqualTo("v7");
        });
  }

  @Test
  void rejectsStatisticsWithNegativeSpreadOrInvertedRange() {
    ModelDeployment d = withLimits(deployment("v1", 1, false), null,
        List.of(stats("a", 0, -1, 0, 1, null), stats("b", 0, 1, 5, 1, null), stats("a", 0, 1, 0, 1, Double.NaN)));

    assertThatThrownBy(() -> EffectiveLimits.of(d, defaults))
        .isInstanceOf(InvalidDeploymentException.class)
        .hasMessageContaining("negative stddev")
        .hasMessageContaining("max 1.0 below min 5.0")
        .hasMessageContaining("feature_stats[2] (\"a\") repeats a feature")
        .hasMessageContaining("non-finite impute value NaN");
  }

  @Test
  void copiesListsSoLaterChangesDoNotLeakIn() {
    List<Integer> shape = new java.util.ArrayList<>(List.of(1, 2));
    EffectiveLimits limits = Fixtures.tensorLimits(shape);

    shape.set(0, 99);

    assertThat(limits.tensorShape()).contains(List.of(1, 2));
  }
}
