package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of {@code sluice models deploy|traffic|rollback} over a model's deployed versions,
 * matching how the ingress routes (preprocessing's {@code ModelRoutes}): a request naming no
 * version goes to an active version (not shadow, weight finite and above 0) with probability
 * weight / sum of the active weights, so weights are relative and need not add up to 100; shadow
 * versions get a copy of every request whatever their weight. Rewriting a version keeps everything
 * but its weight, {@code deployed_at} included.
 */
public final class TrafficPlan {
  /** The weight a version gets when it takes all traffic and had none: 100, so shares read as percent. */
  public static final double ALL = 100;

  private static final Comparator<ModelDeployment> BY_DEPLOYMENT =
      Comparator.comparing(ModelDeployment::getDeployedAt).thenComparing(ModelDeployment::getVersion);

  private TrafficPlan() {}

  /** Whether the ingress routes unversioned requests to the version. */
  public static boolean isActive(ModelDeployment version) {
    return !version.getShadow() && Double.isFinite(version.getTrafficWeight()) && version.getTrafficWeight() > 0;
  }

  /**
   * The weight of a deployment when {@code --weight} is not given: a shadow gets 0 (its weight is
   * not used); a version deployed again keeps its weight; a new version of a model without an
   * active version gets {@link #ALL}, so the first version of a model serves at once; any other
   * new version gets 0, so it is loaded by the workers but takes no traffic until
   * {@code sluice models traffic} gives it some.
   */
  public static double defaultWeight(List<ModelDeployment> versions, String version, boolean shadow) {
    if (shadow) {
      return 0;
    }
    Optional<ModelDeployment> same = versions.stream().filter(d -> d.getVersion().equals(version)).findFirst();
    if (same.isPresent() && !same.get().getShadow()) {
      return same.get().getTrafficWeight();
    }
    return versions.stream().anyMatch(d -> isActive(d) && !d.getVersion().equals(version)) ? 0 : ALL;
  }

  /**
   * Sets the weights of the named versions; the others keep theirs.
   *
   * @param versions the model's deployed versions
   * @param weights version to new weight
   * @throws IllegalArgumentException when a version is not deployed or is a shadow, a weight is
   *     negative or not finite, or the model would be left without an active version
   */
  public static TrafficChange reweigh(String model, List<ModelDeployment> versions, Map<String, Double> weights) {
    requireDeployed(model, versions);
    List<String> problems = new ArrayList<>();
    weights.forEach((version, weight) -> {
      Optional<ModelDeployment> found = versions.stream().filter(d -> d.getVersion().equals(version)).findFirst();
      if (found.isEmpty()) {
        problems.add("model " + model + " has no version " + version + " (deployed: " + names(versions) + ")");
      } else if (found.get().getShadow()) {
        problems.add("version " + version + " of " + model + " is a shadow version: it gets a copy of every request, never a share;"
            + " deploy it again without --shadow to give it traffic");
      }
      if (weight == null || !Double.isFinite(weight) || weight < 0) {
        problems.add("the weight of " + version + " must be a finite number >= 0, got " + weight);
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    List<ModelDeployment> after = versions.stream()
        .map(d -> weights.containsKey(d.getVersion()) ? withWeight(d, weights.get(d.getVersion())) : d).toList();
    if (after.stream().noneMatch(TrafficPlan::isActive)) {
      throw new IllegalArgumentException("these weights would leave model " + model + " without traffic: "
          + "at least one non-shadow version needs a weight above 0 (now: " + TrafficChange.split(after) + ")");
    }
    return new TrafficChange(model, versions, after);
  }

  /**
   * Gives all traffic to one version: it keeps its weight when that is above 0, else gets
   * {@link #ALL}; every other non-shadow version gets 0 (and stays deployed); shadows are left
   * alone. The version is {@code to} when given, else the non-shadow version deployed last before
   * the version that now has the most traffic (ties: the later deployed one), by
   * {@code deployed_at}, then version name.
   *
   * @throws IllegalArgumentException when there is no such version
   */
  public static TrafficChange rollback(String model, List<ModelDeployment> versions, String to) {
    requireDeployed(model, versions);
    ModelDeployment target = to != null ? named(model, versions, to) : previous(model, versions);
    List<ModelDeployment> after = versions.stream().map(d -> {
      if (d.getShadow()) {
        return d;
      }
      if (d == target) {
        return isActive(d) ? d : withWeight(d, ALL);
      }
      return withWeight(d, 0);
    }).toList();
    return new TrafficChange(model, versions, after);
  }

  private static ModelDeployment named(String model, List<ModelDeployment> versions, String to) {
    ModelDeployment target = versions.stream().filter(d -> d.getVersion().equals(to)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no version " + to + " (deployed: " + names(versions) + ")"));
    if (target.getShadow()) {
      throw new IllegalArgumentException("version " + to + " of " + model + " is a shadow version; roll back to a non-shadow version");
    }
    return target;
  }

  private static ModelDeployment previous(String model, List<ModelDeployment> versions) {
    ModelDeployment current = versions.stream().filter(TrafficPlan::isActive)
        .max(Comparator.comparingDouble(ModelDeployment::getTrafficWeight).thenComparing(BY_DEPLOYMENT))
        .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no version taking traffic; name the version with --to"));
    return versions.stream()
        .filter(d -> !d.getShadow() && BY_DEPLOYMENT.compare(d, current) < 0)
        .max(BY_DEPLOYMENT)
        .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no non-shadow version deployed before "
            + current.getVersion() + " (deployed " + current.getDeployedAt() + "); name the version with --to"));
  }

  private static void requireDeployed(String model, List<ModelDeployment> versions) {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("model " + model + " has no deployed version; deploy one with ./sluice models deploy");
    }
  }

  private static ModelDeployment withWeight(ModelDeployment deployment, double weight) {
    return ModelDeployment.newBuilder(deployment).setTrafficWeight(weight).build();
  }

  private static List<String> names(List<ModelDeployment> versions) {
    return versions.stream().map(ModelDeployment::getVersion).toList();
  }
}
