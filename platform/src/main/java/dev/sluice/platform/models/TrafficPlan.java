package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of {@code sluice models deploy|traffic|rollback|undeploy} over a model's deployed
 * versions, matching how the ingress routes (preprocessing's {@code ModelRoutes}): a request
 * naming no version goes to an active version (not shadow, weight finite and above 0) with
 * probability weight / sum of the active weights; shadow versions get a copy of every request
 * whatever their weight.
 *
 * <p>One scale: every change these rules make leaves the active versions' weights adding up to
 * {@link #ALL}, so a weight reads as the percent of the model's unversioned traffic. Weights
 * written on another scale (by an older release, or by hand) are read as shares, and the first
 * change puts them on this one. Every change records each non-shadow version's share before it
 * ({@code previous_traffic_weight}), which {@link #rollback} without a version restores. Rewriting
 * a version keeps everything else, {@code deployed_at} included.
 */
public final class TrafficPlan {
  /** What the active versions' weights add up to: weights read as percent. */
  public static final double ALL = 100;
  private static final double EPSILON = 1e-6;

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
   * Sets the named versions' weights, in percent of the model's traffic. When they add up to
   * {@link #ALL}, every other non-shadow version gets 0; when to less, the other active versions
   * share the rest in proportion to their shares now.
   *
   * @param versions the model's deployed versions
   * @param weights version to new weight
   * @throws IllegalArgumentException when a version is not deployed or is a shadow, a weight is
   *     not within 0-100, or the weights add up to more than 100, or to less with no other active
   *     version to take the rest
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
      if (weight == null || !Double.isFinite(weight) || weight < 0 || weight > ALL) {
        problems.add("the weight of " + version + " must be a percent from 0 to 100, got " + weight);
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    double named = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    if (named > ALL + EPSILON) {
      throw new IllegalArgumentException("the weights add up to " + TrafficChange.weight(round(named))
          + "; they are percents of model " + model + "'s traffic and add up to 100 at most");
    }
    Map<String, Double> shares = shares(versions);
    Map<String, Double> rest = new LinkedHashMap<>();
    shares.forEach((version, share) -> {
      if (!weights.containsKey(version) && share > 0) {
        rest.put(version, share);
      }
    });
    double left = ALL - named;
    if (left > EPSILON && rest.isEmpty()) {
      throw new IllegalArgumentException("the weights add up to " + TrafficChange.weight(round(named)) + ", and no other version of model "
          + model + " takes traffic to be given the other " + TrafficChange.weight(round(left)) + "; name weights that add up to 100");
    }
    Map<String, Double> after = new LinkedHashMap<>(weights);
    after.putAll(spread(left, rest));
    // Adding up to 100, or the rest going to versions with traffic, leaves some version with traffic.
    return recorded(model, versions, versions.stream()
        .map(d -> d.getShadow() ? d : withWeight(d, after.getOrDefault(d.getVersion(), 0.0))).toList());
  }

  /**
   * Without {@code to}: restores the split before the model's last traffic change (each
   * non-shadow version's recorded {@code previous_traffic_weight}; a version deployed since gets
   * 0, and the shares are put back on the 100 scale when a version of that split was undeployed
   * since). Rolling back twice undoes the rollback. With {@code to}: gives that version all
   * traffic ({@link #ALL}) and every other non-shadow version 0 (they stay deployed). Shadows are
   * left alone.
   *
   * @throws IllegalArgumentException when {@code to} is unknown or a shadow, or no earlier split
   *     is recorded, or it left no version with traffic
   */
  public static TrafficChange rollback(String model, List<ModelDeployment> versions, String to) {
    requireDeployed(model, versions);
    if (to != null) {
      ModelDeployment target = named(model, versions, to);
      return recorded(model, versions, versions.stream().map(d -> d.getShadow() ? d : withWeight(d, d == target ? ALL : 0)).toList());
    }
    Map<String, Double> previous = new LinkedHashMap<>();
    for (ModelDeployment d : versions) {
      if (!d.getShadow() && d.getPreviousTrafficWeight() != null && Double.isFinite(d.getPreviousTrafficWeight())
          && d.getPreviousTrafficWeight() > 0) {
        previous.put(d.getVersion(), d.getPreviousTrafficWeight());
      }
    }
    if (versions.stream().noneMatch(d -> !d.getShadow() && d.getPreviousTrafficWeight() != null)) {
      throw new IllegalArgumentException("no earlier split of model " + model + " is recorded (a rollback restores the split before the"
          + " last ./sluice models traffic, deploy --weight, undeploy or rollback); name the version to give all traffic with --to");
    }
    if (previous.isEmpty()) {
      throw new IllegalArgumentException("the split before the last change of model " + model + " gave traffic to no version deployed now;"
          + " name the version to give all traffic with --to");
    }
    Map<String, Double> restored = spread(ALL, previous);
    return recorded(model, versions, versions.stream()
        .map(d -> d.getShadow() ? d : withWeight(d, restored.getOrDefault(d.getVersion(), 0.0))).toList());
  }

  /**
   * Removes a version: the other active versions share its traffic in proportion to their shares.
   *
   * @return the change over the versions that stay
   * @throws IllegalArgumentException when the version is not deployed, or it is the only version
   *     with traffic while others (shadows too) stay deployed: give one of them traffic first
   */
  public static TrafficChange undeploy(String model, List<ModelDeployment> versions, String version) {
    requireDeployed(model, versions);
    find(model, versions, version);
    List<ModelDeployment> staying = versions.stream().filter(d -> !d.getVersion().equals(version)).toList();
    Map<String, Double> rest = new LinkedHashMap<>(shares(staying));
    rest.values().removeIf(share -> share <= 0);
    if (rest.isEmpty() && !staying.isEmpty() && shares(versions).getOrDefault(version, 0.0) > 0) {
      throw new IllegalArgumentException("version " + version + " is the only version of model " + model + " with traffic while "
          + names(staying) + " stay deployed; give another version traffic first (./sluice models traffic --model " + model
          + " VERSION=100), or undeploy the others first");
    }
    if (rest.isEmpty()) {
      return new TrafficChange(model, staying, staying);
    }
    Map<String, Double> spread = spread(ALL, rest);
    return recorded(model, staying, staying.stream().map(d -> d.getShadow() ? d : withWeight(d, spread.getOrDefault(d.getVersion(), 0.0)))
        .toList(), shares(versions));
  }

  /**
   * The active versions' shares of the model's unversioned traffic in percent, by version, in
   * the versions' order; inactive versions are left out.
   */
  public static Map<String, Double> shares(List<ModelDeployment> versions) {
    double total = versions.stream().filter(TrafficPlan::isActive).mapToDouble(ModelDeployment::getTrafficWeight).sum();
    Map<String, Double> shares = new LinkedHashMap<>();
    for (ModelDeployment d : versions) {
      if (isActive(d)) {
        shares.put(d.getVersion(), ALL * d.getTrafficWeight() / total);
      }
    }
    return shares;
  }

  /**
   * {@code amount} shared in proportion to the weights, each rounded to hundredths, the rounding
   * left over given to the largest so that they add up to {@code amount} exactly.
   */
  private static Map<String, Double> spread(double amount, Map<String, Double> weights) {
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> spread = new LinkedHashMap<>();
    if (weights.isEmpty() || total <= 0) {
      return spread;
    }
    String largest = null;
    double given = 0;
    for (Map.Entry<String, Double> entry : weights.entrySet()) {
      double share = round(amount * entry.getValue() / total);
      spread.put(entry.getKey(), share);
      given += share;
      if (largest == null || entry.getValue() > weights.get(largest)) {
        largest = entry.getKey();
      }
    }
    spread.put(largest, round(spread.get(largest) + amount - given));
    return spread;
  }

  /** The change from {@code before} to {@code after}, each non-shadow version carrying its share before it. */
  private static TrafficChange recorded(String model, List<ModelDeployment> before, List<ModelDeployment> after) {
    return recorded(model, before, after, shares(before));
  }

  /** The change from {@code before} to {@code after}, each non-shadow version carrying its given share before it. */
  private static TrafficChange recorded(String model, List<ModelDeployment> before, List<ModelDeployment> after, Map<String, Double> shares) {
    List<ModelDeployment> withPrevious = after.stream().map(d -> d.getShadow() ? d
        : ModelDeployment.newBuilder(d).setPreviousTrafficWeight(round(shares.getOrDefault(d.getVersion(), 0.0))).build()).toList();
    return new TrafficChange(model, before, withPrevious);
  }

  private static double round(double weight) {
    return Math.round(weight * 100) / 100.0;
  }

  private static ModelDeployment named(String model, List<ModelDeployment> versions, String to) {
    ModelDeployment target = find(model, versions, to);
    if (target.getShadow()) {
      throw new IllegalArgumentException("version " + to + " of " + model + " is a shadow version; roll back to a non-shadow version");
    }
    return target;
  }

  private static ModelDeployment find(String model, List<ModelDeployment> versions, String version) {
    return versions.stream().filter(d -> d.getVersion().equals(version)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no version " + version + " (deployed: " + names(versions) + ")"));
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
