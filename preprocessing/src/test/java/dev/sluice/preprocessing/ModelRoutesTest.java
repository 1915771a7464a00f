package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ReasonCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelRoutesTest {

  @Test
  void routesExactlyAsTheStraightforwardRuleOverRandomDeploymentsAndKeys() {
    Random random = new Random(20260301);
    for (int round = 0; round < 300; round++) {
      List<ModelDeployment> deployments = randomDeployments(random);
      ModelRoutes routes = ModelRoutes.of(deployments, "minilm");
      for (int i = 0; i < 200; i++) {
        String explicit = random.nextInt(5) == 0 ? "v" + random.nextInt(8) : null;
        String key = random.nextInt(50) == 0 ? null : "key-" + random.nextLong();

        assertThat(routes.route(explicit, key)).as("round %d, version %s, key %s", round, explicit, key)
            .isEqualTo(reference(deployments, "minilm", explicit, key));
      }
    }
  }

  @Test
  void isReusableAcrossRequestsAndListsVersionsByName() {
    ModelDeployment v2 = Fixtures.deployment("v2", 1, false);
    ModelDeployment v1 = Fixtures.deployment("v1", 3, false);
    ModelRoutes routes = ModelRoutes.of(List.of(v2, v1), "minilm");

    assertThat(routes.versions()).containsExactly(v1, v2);
    assertThat(routes.route(null, "same-key")).isEqualTo(routes.route(null, "same-key"));
    assertThat(routes.route("v2", "any")).isEqualTo(Outcome.accepted(new Route(v2, List.of())));
  }

  @Test
  void servingVersionsAreTheActiveOnesLargestShareFirst() {
    ModelRoutes routes = ModelRoutes.of(List.of(Fixtures.deployment("v1", 1, false), Fixtures.deployment("v2", 9, false),
        Fixtures.deployment("v3", 1, false), Fixtures.deployment("v4", 0, false), Fixtures.deployment("v5", 5, true)), "minilm");

    assertThat(routes.servingVersions()).containsExactly("v2", "v1", "v3");
  }

  private static List<ModelDeployment> randomDeployments(Random random) {
    List<ModelDeployment> deployments = new ArrayList<>();
    int count = random.nextInt(6);
    for (int i = 0; i < count; i++) {
      double weight = switch (random.nextInt(4)) {
        case 0 -> 0.0;
        case 1 -> random.nextInt(10);
        default -> random.nextDouble();
      };
      String model = random.nextInt(10) == 0 ? "other" : "minilm";
      deployments.add(Fixtures.deployment(model, "v" + random.nextInt(8), weight, random.nextInt(4) == 0, null, List.of()));
    }
    return deployments;
  }

  /** The routing rule as VersionRouter's javadoc states it, computed the slow way. */
  private static Outcome<Route> reference(List<ModelDeployment> deployments, String model, String explicit, String key) {
    List<ModelDeployment> versions = deployments.stream()
        .filter(d -> d != null && Objects.equals(d.getModel(), model) && d.getVersion() != null)
        .sorted(Comparator.comparing(ModelDeployment::getVersion))
        .toList();
    if (explicit != null && !explicit.isBlank()) {
      Optional<ModelDeployment> named = versions.stream().filter(d -> d.getVersion().equals(explicit)).findFirst();
      if (named.isEmpty()) {
        return Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "model " + model + " has no version " + explicit + "; deployed: "
            + versions.stream().map(ModelDeployment::getVersion).toList());
      }
      return Outcome.accepted(new Route(named.get(), shadowsExcept(versions, named.get())));
    }
    if (versions.isEmpty()) {
      return Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "no model named " + model + " is deployed");
    }
    List<ModelDeployment> active = versions.stream()
        .filter(d -> !d.getShadow() && Double.isFinite(d.getTrafficWeight()) && d.getTrafficWeight() > 0).toList();
    if (active.isEmpty()) {
      return Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "model " + model + " has no version with traffic weight > 0; deployed: "
          + versions.stream().map(d -> d.getVersion() + (d.getShadow() ? " (shadow)" : " (weight " + d.getTrafficWeight() + ")")).toList());
    }
    double point = VersionRouter.unitInterval(key == null ? "" : key);
    double total = active.stream().mapToDouble(ModelDeployment::getTrafficWeight).sum();
    double cumulative = 0;
    ModelDeployment primary = active.get(active.size() - 1);
    for (ModelDeployment d : active) {
      cumulative += d.getTrafficWeight() / total;
      if (point < cumulative) {
        primary = d;
        break;
      }
    }
    return Outcome.accepted(new Route(primary, shadowsExcept(versions, primary)));
  }

  private static List<ModelDeployment> shadowsExcept(List<ModelDeployment> versions, ModelDeployment primary) {
    return versions.stream().filter(d -> d.getShadow() && d != primary).toList();
  }
}
