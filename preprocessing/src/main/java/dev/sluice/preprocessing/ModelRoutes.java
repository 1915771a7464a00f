package dev.sluice.preprocessing;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ReasonCode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link VersionRouter}'s rule for one model, precomputed from the model's deployed versions so
 * that routing a request is a hash of its key and a walk over a few cumulative weights: the
 * versions sorted by name, the active ones with their cumulative shares, and one ready
 * {@link Route} per version (its shadows already listed). Immutable and thread-safe; build it
 * again when the deployments change.
 *
 * <p>{@link #route} gives exactly what {@link VersionRouter#route} gives for the same
 * deployments (which delegates here): the same primary, shadows, reason codes and details.
 */
public final class ModelRoutes {
  private final String model;
  private final List<ModelDeployment> versions;
  private final Map<String, Outcome<Route>> byVersion = new HashMap<>();
  private final List<Outcome<Route>> activeRoutes;
  private final double[] cumulativeShares;
  private final Outcome<Route> unroutable;
  private final List<String> serving;

  private ModelRoutes(String model, List<ModelDeployment> versions) {
    this.model = model;
    this.versions = versions;
    for (ModelDeployment version : versions) {
      byVersion.putIfAbsent(version.getVersion(), Outcome.accepted(new Route(version, shadowsExcept(versions, version))));
    }
    List<ModelDeployment> active = versions.stream().filter(ModelRoutes::isActive).toList();
    this.activeRoutes = active.stream()
        .map(primary -> Outcome.accepted(new Route(primary, shadowsExcept(versions, primary))))
        .toList();
    this.serving = active.stream()
        .sorted(Comparator.comparingDouble(ModelDeployment::getTrafficWeight).reversed().thenComparing(VersionRouter.BY_VERSION))
        .map(ModelDeployment::getVersion).distinct().toList();
    double total = active.stream().mapToDouble(ModelDeployment::getTrafficWeight).sum();
    this.cumulativeShares = new double[active.size()];
    double cumulative = 0;
    for (int i = 0; i < active.size(); i++) {
      cumulative += active.get(i).getTrafficWeight() / total;
      cumulativeShares[i] = cumulative;
    }
    if (versions.isEmpty()) {
      unroutable = Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "no model named " + model + " is deployed");
    } else if (active.isEmpty()) {
      unroutable = Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "model " + model
          + " has no version with traffic weight > 0; deployed: " + versions.stream().map(ModelRoutes::describe).toList());
    } else {
      unroutable = null;
    }
  }

  /**
   * The routes of one model.
   *
   * @param deployedVersionsOfModel the deployed versions of the model, in any order (nulls,
   *     deployments of other models and deployments without a version are ignored)
   * @param model the model's name
   * @return the precomputed routes
   */
  public static ModelRoutes of(List<ModelDeployment> deployedVersionsOfModel, String model) {
    Objects.requireNonNull(deployedVersionsOfModel, "deployedVersionsOfModel");
    List<ModelDeployment> versions = deployedVersionsOfModel.stream()
        .filter(d -> d != null && Objects.equals(d.getModel(), model) && d.getVersion() != null)
        .sorted(VersionRouter.BY_VERSION)
        .toList();
    return new ModelRoutes(model, versions);
  }

  /**
   * Routes one request, as {@link VersionRouter#route} does.
   *
   * @param explicitVersionOrNull the version the request names, or null (or blank) for none
   * @param routingKey what sticks a request to its version (null is hashed as the empty string)
   * @return the route, or UNKNOWN_MODEL
   */
  public Outcome<Route> route(String explicitVersionOrNull, String routingKey) {
    if (explicitVersionOrNull != null && !explicitVersionOrNull.isBlank()) {
      Outcome<Route> named = byVersion.get(explicitVersionOrNull);
      return named != null ? named : Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "model " + model + " has no version "
          + explicitVersionOrNull + "; deployed: " + versions.stream().map(ModelDeployment::getVersion).toList());
    }
    if (unroutable != null) {
      return unroutable;
    }
    double point = VersionRouter.unitInterval(routingKey == null ? "" : routingKey);
    for (int i = 0; i < cumulativeShares.length; i++) {
      if (point < cumulativeShares[i]) {
        return activeRoutes.get(i);
      }
    }
    return activeRoutes.get(activeRoutes.size() - 1);
  }

  /**
   * The deployed versions, sorted by version name.
   *
   * @return the versions this table routes to
   */
  public List<ModelDeployment> versions() {
    return versions;
  }

  /**
   * The versions that receive traffic (not shadows, weight &gt; 0), the largest share first, ties
   * by version name: the versions whose earlier answers may serve a repeat of content.
   */
  public List<String> servingVersions() {
    return serving;
  }

  private static boolean isActive(ModelDeployment d) {
    return !d.getShadow() && Double.isFinite(d.getTrafficWeight()) && d.getTrafficWeight() > 0;
  }

  private static String describe(ModelDeployment d) {
    return d.getVersion() + (d.getShadow() ? " (shadow)" : " (weight " + d.getTrafficWeight() + ")");
  }

  private static List<ModelDeployment> shadowsExcept(List<ModelDeployment> versions, ModelDeployment primary) {
    return versions.stream().filter(d -> d.getShadow() && d != primary).toList();
  }
}
