package dev.sluice.cli.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.ModelDeployment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficPlanTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static ModelDeployment version(String version, double weight, int minute, boolean shadow) {
    return ModelDeployment.newBuilder().setModel("m").setVersion(version).setArtifactUri("file:/models/" + version)
        .setTrafficWeight(weight).setShadow(shadow).setDeployedAt(T0.plusSeconds(60L * minute)).build();
  }

  private static Map<String, Double> weights(Object... pairs) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      weights.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return weights;
  }

  @Test
  void firstVersionGetsAllTrafficLaterOnesNoneAndARedeployKeepsItsWeight() {
    List<ModelDeployment> v1Only = List.of(version("v1", 100, 0, false));

    assertThat(TrafficPlan.defaultWeight(List.of(), "v1", false)).isEqualTo(100);
    assertThat(TrafficPlan.defaultWeight(v1Only, "v2", false)).isZero();
    assertThat(TrafficPlan.defaultWeight(List.of(version("v1", 30, 0, false)), "v1", false)).isEqualTo(30);
    assertThat(TrafficPlan.defaultWeight(List.of(version("v1", 0, 0, false)), "v2", false)).isEqualTo(100);
    assertThat(TrafficPlan.defaultWeight(v1Only, "v2", true)).isZero();
  }

  @Test
  void reweighSetsTheNamedVersionsKeepsTheOthersAndKeepsDeployedAt() {
    List<ModelDeployment> versions = List.of(version("v1", 100, 0, false), version("v2", 0, 1, false), version("v3", 5, 2, false));

    TrafficChange change = TrafficPlan.reweigh("m", versions, weights("v1", 90, "v2", 10));

    assertThat(change.changed()).extracting(ModelDeployment::getVersion).containsExactly("v1", "v2");
    assertThat(change.changed().get(1).getDeployedAt()).isEqualTo(versions.get(1).getDeployedAt());
    assertThat(change.changes()).isEqualTo("v1 100 -> 90, v2 0 -> 10");
    assertThat(change.split()).isEqualTo("v1 90 (85.7 %), v2 10 (9.5 %), v3 5 (4.8 %)");
  }

  @Test
  void reweighRefusesUnknownShadowNegativeAndNoTrafficLeft() {
    List<ModelDeployment> versions = List.of(version("v1", 100, 0, false), version("s", 0, 1, true));

    assertThatThrownBy(() -> TrafficPlan.reweigh("m", versions, weights("v9", 1, "s", 5, "v1", -1)))
        .hasMessageContaining("model m has no version v9 (deployed: [v1, s])")
        .hasMessageContaining("version s of m is a shadow version")
        .hasMessageContaining("the weight of v1 must be a finite number >= 0, got -1.0");
    assertThatThrownBy(() -> TrafficPlan.reweigh("m", versions, weights("v1", 0)))
        .hasMessageStartingWith("these weights would leave model m without traffic");
    assertThatThrownBy(() -> TrafficPlan.reweigh("m", List.of(), weights("v1", 1)))
        .hasMessageStartingWith("model m has no deployed version");
  }

  @Test
  void rollbackGoesToTheVersionDeployedBeforeTheOneWithMostTraffic() {
    List<ModelDeployment> versions = List.of(version("v1", 0, 0, false), version("v2", 10, 1, false), version("v3", 90, 2, false),
        version("s", 0, 3, true));

    TrafficChange change = TrafficPlan.rollback("m", versions, null);

    assertThat(change.changes()).isEqualTo("v3 90 -> 0");
    assertThat(change.split()).isEqualTo("v1 0 (0.0 %), v2 10 (100.0 %), v3 0 (0.0 %), s shadow");
  }

  @Test
  void rollbackGivesAVersionWithoutTrafficAHundred() {
    List<ModelDeployment> versions = List.of(version("v1", 0, 0, false), version("v2", 100, 1, false));

    assertThat(TrafficPlan.rollback("m", versions, null).changes()).isEqualTo("v1 0 -> 100, v2 100 -> 0");
    assertThat(TrafficPlan.rollback("m", versions, "v2").changed()).isEmpty();
  }

  @Test
  void rollbackToANamedVersionTakesTheOthersToZero() {
    List<ModelDeployment> versions = List.of(version("v1", 50, 0, false), version("v2", 50, 1, false), version("v3", 0, 2, false));

    assertThat(TrafficPlan.rollback("m", versions, "v3").changes()).isEqualTo("v1 50 -> 0, v2 50 -> 0, v3 0 -> 100");
  }

  @Test
  void rollbackRefusesWithoutAnEarlierVersionAShadowOrAnUnknownVersion() {
    List<ModelDeployment> versions = List.of(version("v1", 100, 0, false), version("s", 0, 1, true));

    assertThatThrownBy(() -> TrafficPlan.rollback("m", versions, null))
        .hasMessageStartingWith("model m has no non-shadow version deployed before v1");
    assertThatThrownBy(() -> TrafficPlan.rollback("m", versions, "s")).hasMessageContaining("is a shadow version");
    assertThatThrownBy(() -> TrafficPlan.rollback("m", versions, "v7")).hasMessageContaining("has no version v7");
    assertThatThrownBy(() -> TrafficPlan.rollback("m", List.of(version("v1", 0, 0, false)), null))
        .hasMessageStartingWith("model m has no version taking traffic");
  }

  @Test
  void weightsPrintWithoutNeedlessDecimals() {
    assertThat(TrafficChange.weight(90.0)).isEqualTo("90");
    assertThat(TrafficChange.weight(0.5)).isEqualTo("0.5");
    assertThat(TrafficChange.weight(0)).isEqualTo("0");
  }
}
