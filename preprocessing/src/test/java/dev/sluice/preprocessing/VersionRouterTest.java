package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ReasonCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionRouterTest {
  private static final int KEYS = 10_000;
  private final VersionRouter router = new VersionRouter();

  private final ModelDeployment v1 = deployment("v1", 90, false);
  private final ModelDeployment v2 = deployment("v2", 10, false);
  private final ModelDeployment dormant = deployment("v0", 0, false);
  private final ModelDeployment shadowA = deployment("s-a", 0, true);
  private final ModelDeployment shadowB = deployment("s-b", 50, true);
  private final List<ModelDeployment> all = List.of(v1, v2, dormant, shadowA, shadowB);

  private Route routed(Outcome<Route> outcome) {
    assertThat(outcome.isAccepted()).as("%s", outcome).isTrue();
    return ((Outcome.Accepted<Route>) outcome).value();
  }

  private String versionOf(List<ModelDeployment> deployments, String key) {
    return routed(router.route(deployments, "minilm", null, key)).primary().getVersion();
  }

  @Test
  void honoursAnExplicitDeployedVersionEvenWithZeroWeight() {
    Route route = routed(router.route(all, "minilm", "v0", "key"));

    assertThat(route.primary()).isEqualTo(dormant);
    assertThat(route.shadows()).containsExactly(shadowA, shadowB);
  }

  @Test
  void servesAnExplicitlyRequestedShadowVersionAsPrimaryWithoutCopyingItToItself() {
    Route route = routed(router.route(all, "minilm", "s-b", "key"));

    assertThat(route.primary()).isEqualTo(shadowB);
    assertThat(route.shadows()).containsExactly(shadowA);
  }

  @Test
  void rejectsAnExplicitVersionThatIsNotDeployedListingTheDeployedOnes() {
    assertThat(router.route(all, "minilm", "v9", "key")).isEqualTo(Outcome.rejected(ReasonCode.UNKNOWN_MODEL,
        "model minilm has no version v9; deployed: [s-a, s-b, v0, v1, v2]"));
  }

  @Test
  void rejectsAModelWithNoDeployments() {
    assertThat(router.route(List.of(), "ghost", null, "key"))
        .isEqualTo(Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "no model named ghost is deployed"));
  }

  @Test
  void ignoresDeploymentsOfOtherModels() {
    ModelDeployment other = Fixtures.deployment("bert", "v1", 1, false, null, List.of());

    assertThat(router.route(List.of(other), "minilm", null, "key"))
        .isEqualTo(Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "no model named minilm is deployed"));
  }

  @Test
  void rejectsAModelWhoseVersionsAllHaveZeroWeightOrAreShadows() {
    Outcome<Route> outcome = router.route(List.of(dormant, shadowB), "minilm", null, "key");

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
      assertThat(r.reason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
      assertThat(r.detail()).contains("no version with traffic weight > 0").contains("v0 (weight 0.0)", "s-b (shadow)");
    });
  }

  @Test
  void everyRequestCopiesToEveryShadow() {
    Route route = routed(router.route(all, "minilm", null, "k-1"));

    assertThat(route.primary()).isIn(v1, v2);
    assertThat(route.shadows()).containsExactly(shadowA, shadowB);
  }

  @Test
  void splitsTenThousandKeysNinetyTenWithinTwoPercent() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      counts.merge(versionOf(all, "request-" + i), 1, Integer::sum);
    }

    assertThat(counts).containsOnlyKeys("v1", "v2");
    assertThat(counts.get("v1") / (double) KEYS).isBetween(0.88, 0.92);
    assertThat(counts.get("v2") / (double) KEYS).isBetween(0.08, 0.12);
  }

  @Test
  void splitsRandomKeysByUnevenWeightsWithinTwoPercent() {
    List<ModelDeployment> three = List.of(deployment("a", 1, false), deployment("b", 2, false), deployment("c", 7, false));
    Random random = new Random(42);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      counts.merge(versionOf(three, Long.toHexString(random.nextLong())), 1, Integer::sum);
    }

    assertThat(counts.get("a") / (double) KEYS).isBetween(0.08, 0.12);
    assertThat(counts.get("b") / (double) KEYS).isBetween(0.18, 0.22);
    assertThat(counts.get("c") / (double) KEYS).isBetween(0.68, 0.72);
  }

  @Test
  void aKeyAlwaysGetsTheSameVersion() {
    for (int i = 0; i < 1_000; i++) {
      String key = "sticky-" + i;
      String first = versionOf(all, key);
      for (int repeat = 0; repeat < 5; repeat++) {
        assertThat(versionOf(all, key)).isEqualTo(first);
      }
    }
  }

  /** Expected points computed outside Java (FNV-1a 64 of the UTF-8 bytes, MurmurHash3 fmix64, top 53 bits). */
  @Test
  void keyPointsArePinnedToTheKeysUtf8BytesSoRoutingSurvivesRestartsAndReleases() {
    assertThat(VersionRouter.unitInterval("")).isEqualTo(0.8864620981585414);
    assertThat(VersionRouter.unitInterval("request-1")).isEqualTo(0.686628886671994);
    assertThat(VersionRouter.unitInterval("caf\u00E9")).isEqualTo(0.8653234621090244);
    assertThat(versionOf(all, null)).isEqualTo(versionOf(all, "")).isEqualTo("v1");
    assertThat(versionOf(List.of(v1, deployment("v2", 30, false)), "")).isEqualTo("v2");
  }

  @Test
  void zeroWeightAndShadowVersionsAreNeverChosen() {
    for (int i = 0; i < KEYS; i++) {
      assertThat(versionOf(all, "k" + i)).isIn("v1", "v2");
    }
  }

  @Test
  void orderOfTheDeploymentListDoesNotMatter() {
    List<ModelDeployment> shuffled = new ArrayList<>(all);
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(shuffled, random);
      for (int i = 0; i < 500; i++) {
        Route expected = routed(router.route(all, "minilm", null, "key-" + i));
        assertThat(routed(router.route(shuffled, "minilm", null, "key-" + i))).isEqualTo(expected);
      }
    }
  }

  @Test
  void aSingleActiveVersionTakesAllTraffic() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(versionOf(List.of(v2, dormant, shadowA), "x" + i)).isEqualTo("v2");
    }
  }

  @Test
  void unitIntervalSpreadsKeysEvenlyOverTenBuckets() {
    int[] buckets = new int[10];
    for (int i = 0; i < KEYS; i++) {
      double point = VersionRouter.unitInterval("user-" + i);
      assertThat(point).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      buckets[(int) (point * 10)]++;
    }

    for (int count : buckets) {
      assertThat(count).isBetween(900, 1100);
    }
  }
}
