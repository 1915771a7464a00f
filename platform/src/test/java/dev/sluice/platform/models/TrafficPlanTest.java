package dev.sluice.platform.models;

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
  void namedWeightsAddingUpTo100TakeTheOthersToZeroAndRecordTheSplitBefore() {
    List<ModelDeployment> versions = List.of(version("v1", 90, 0, false), version("v2", 10, 1, false), version("v3", 0, 2, false));

    TrafficChange change = TrafficPlan.reweigh("m", versions, weights("v1", 20, "v3", 80));

    assertThat(change.changes()).isEqualTo("v1 90 -> 20, v2 10 -> 0, v3 0 -> 80");
    assertThat(change.split()).isEqualTo("v1 20 (20.0 %), v2 0 (0.0 %), v3 80 (80.0 %)");
    assertThat(change.after()).extracting(ModelDeployment::getPreviousTrafficWeight).containsExactly(90.0, 10.0, 0.0);
    assertThat(change.changed().get(1).getDeployedAt()).isEqualTo(versions.get(1).getDeployedAt());
  }

  @Test
  void namedWeightsAddingUpToLessLeaveTheRestToTheOthersAsTheyShareNow() {
    List<ModelDeployment> versions = List.of(version("v1", 90, 0, false), version("v2", 10, 1, false), version("v3", 0, 2, false));

    assertThat(TrafficPlan.reweigh("m", versions, weights("v3", 10)).split())
        .isEqualTo("v1 81 (81.0 %), v2 9 (9.0 %), v3 10 (10.0 %)");
    assertThat(TrafficPlan.reweigh("m", versions, weights("v1", 100)).changes()).isEqualTo("v1 90 -> 100, v2 10 -> 0");
  }

  @Test
  void weightsOnAnotherScaleArePutOnThePercentScaleByTheFirstChange() {
    List<ModelDeployment> versions = List.of(version("v1", 0.9, 0, false), version("v2", 0.1, 1, false), version("v3", 0, 2, false));

    TrafficChange change = TrafficPlan.reweigh("m", versions, weights("v3", 50));

    assertThat(change.split()).isEqualTo("v1 45 (45.0 %), v2 5 (5.0 %), v3 50 (50.0 %)");
    assertThat(change.after()).extracting(ModelDeployment::getPreviousTrafficWeight).containsExactly(90.0, 10.0, 0.0);
  }

  @Test
  void sharesThatDoNotDivideEvenlyStillAddUpTo100() {
    List<ModelDeployment> versions = List.of(version("a", 1, 0, false), version("b", 1, 1, false), version("c", 1, 2, false),
        version("d", 0, 3, false));

    TrafficChange change = TrafficPlan.reweigh("m", versions, weights("d", 0));

    assertThat(change.after().stream().mapToDouble(ModelDeployment::getTrafficWeight).sum()).isEqualTo(100.0);
    assertThat(change.split()).isEqualTo("a 33.34 (33.3 %), b 33.33 (33.3 %), c 33.33 (33.3 %), d 0 (0.0 %)");
  }

  @Test
  void reweighRefusesUnknownShadowOutOfRangeTooMuchTooLittleAndNoTrafficLeft() {
    List<ModelDeployment> versions = List.of(version("v1", 100, 0, false), version("v2", 0, 1, false), version("s", 0, 2, true));

    assertThatThrownBy(() -> TrafficPlan.reweigh("m", versions, weights("v9", 1, "s", 5, "v1", -1, "v2", 150)))
        .hasMessageContaining("model m has no version v9 (deployed: [v1, v2, s])")
        .hasMessageContaining("version s of m is a shadow version")
        .hasMessageContaining("the weight of v1 must be a percent from 0 to 100, got -1.0")
        .hasMessageContaining("the weight of v2 must be a percent from 0 to 100, got 150.0");
    assertThatThrownBy(() -> TrafficPlan.reweigh("m", versions, weights("v1", 60, "v2", 60)))
        .hasMessageStartingWith("the weights add up to 120; they are percents");
    assertThatThrownBy(() -> TrafficPlan.reweigh("m", versions, weights("v1", 30, "v2", 20)))
        .hasMessageStartingWith("the weights add up to 50, and no other version of model m takes traffic to be given the other 50");
    assertThatThrownBy(() -> TrafficPlan.reweigh("m", versions, weights("v1", 0, "v2", 0)))
        .hasMessageStartingWith("the weights add up to 0, and no other version");
    assertThatThrownBy(() -> TrafficPlan.reweigh("m", List.of(), weights("v1", 1)))
        .hasMessageStartingWith("model m has no deployed version");
  }

  @Test
  void rollbackRestoresTheSplitBeforeTheLastChangeAndASecondOneUndoesIt() {
    List<ModelDeployment> start = List.of(version("v1", 90, 0, false), version("v2", 10, 1, false), version("v3", 0, 2, false),
        version("s", 0, 3, true));
    List<ModelDeployment> changed = TrafficPlan.reweigh("m", start, weights("v1", 20, "v3", 80)).after();

    TrafficChange back = TrafficPlan.rollback("m", changed, null);

    assertThat(back.split()).isEqualTo("v1 90 (90.0 %), v2 10 (10.0 %), v3 0 (0.0 %), s shadow");
    assertThat(TrafficPlan.rollback("m", back.after(), null).split()).isEqualTo("v1 20 (20.0 %), v2 0 (0.0 %), v3 80 (80.0 %), s shadow");
  }

  @Test
  void rollbackGivesAVersionDeployedSinceTheChangeNothingAndRescalesWhenAVersionWentAway() {
    List<ModelDeployment> changed = TrafficPlan.reweigh("m", List.of(version("v1", 60, 0, false), version("v2", 40, 1, false),
        version("v3", 0, 2, false)), weights("v3", 100)).after();
    List<ModelDeployment> later = List.of(changed.get(0), changed.get(2), version("v4", 0, 5, false));

    assertThat(TrafficPlan.rollback("m", later, null).split()).isEqualTo("v1 100 (100.0 %), v3 0 (0.0 %), v4 0 (0.0 %)");
  }

  @Test
  void rollbackToANamedVersionGivesItAHundredAndTheOthersZero() {
    List<ModelDeployment> versions = List.of(version("v1", 50, 0, false), version("v2", 50, 1, false), version("v3", 0, 2, false));

    TrafficChange change = TrafficPlan.rollback("m", versions, "v3");

    assertThat(change.changes()).isEqualTo("v1 50 -> 0, v2 50 -> 0, v3 0 -> 100");
    assertThat(change.after()).extracting(ModelDeployment::getPreviousTrafficWeight).containsExactly(50.0, 50.0, 0.0);
    assertThat(TrafficPlan.rollback("m", List.of(version("v1", 100, 0, false)), "v1").changed()).isEmpty();
  }

  @Test
  void rollbackRefusesWithoutARecordedSplitAShadowOrAnUnknownVersion() {
    List<ModelDeployment> versions = List.of(version("v1", 90, 0, false), version("v2", 10, 0, false), version("s", 0, 1, true));

    assertThatThrownBy(() -> TrafficPlan.rollback("m", versions, null))
        .hasMessageStartingWith("no earlier split of model m is recorded");
    assertThatThrownBy(() -> TrafficPlan.rollback("m", versions, "s")).hasMessageContaining("is a shadow version");
    assertThatThrownBy(() -> TrafficPlan.rollback("m", versions, "v7")).hasMessageContaining("has no version v7");
  }

  @Test
  void undeployGivesItsTrafficToTheOthersAsTheyShareNow() {
    List<ModelDeployment> versions = List.of(version("v1", 60, 0, false), version("v2", 30, 1, false), version("v3", 10, 2, false));

    TrafficChange change = TrafficPlan.undeploy("m", versions, "v2");

    assertThat(change.split()).isEqualTo("v1 85.71 (85.7 %), v3 14.29 (14.3 %)");
    assertThat(change.after()).extracting(ModelDeployment::getPreviousTrafficWeight).containsExactly(60.0, 10.0);
    assertThat(TrafficPlan.undeploy("m", List.of(version("v1", 100, 0, false), version("v2", 0, 1, false)), "v2").changed()).isEmpty();
    assertThat(TrafficPlan.undeploy("m", List.of(version("v1", 100, 0, false)), "v1").after()).isEmpty();
  }

  @Test
  void undeployRefusesTheOnlyVersionWithTrafficWhileOthersStayAndAnUnknownVersion() {
    List<ModelDeployment> versions = List.of(version("v1", 100, 0, false), version("v2", 0, 1, false));

    assertThatThrownBy(() -> TrafficPlan.undeploy("m", versions, "v1"))
        .hasMessageStartingWith("version v1 is the only version of model m with traffic while [v2] stay deployed");
    assertThatThrownBy(() -> TrafficPlan.undeploy("m", List.of(version("v1", 100, 0, false), version("s", 0, 1, true)), "v1"))
        .hasMessageStartingWith("version v1 is the only version of model m with traffic while [s] stay deployed");
    assertThatThrownBy(() -> TrafficPlan.undeploy("m", versions, "v9")).hasMessageContaining("has no version v9");
  }

  @Test
  void weightsPrintWithoutNeedlessDecimals() {
    assertThat(TrafficChange.weight(90.0)).isEqualTo("90");
    assertThat(TrafficChange.weight(0.5)).isEqualTo("0.5");
    assertThat(TrafficChange.weight(0)).isEqualTo("0");
  }
}
