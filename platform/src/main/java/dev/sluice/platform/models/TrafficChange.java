package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A change of a model's traffic weights: its versions before and after. Only the versions whose
 * weight changed need writing.
 *
 * @param model the model
 * @param before its deployed versions before, by version
 * @param after the same versions after the change, in the same order
 */
public record TrafficChange(String model, List<ModelDeployment> before, List<ModelDeployment> after) {
  public TrafficChange {
    before = List.copyOf(before);
    after = List.copyOf(after);
  }

  /**
   * What to write: nothing when no weight changed, else every deployment that differs from before
   * (its weight, or the share before the change it records for {@code rollback}).
   */
  public List<ModelDeployment> changed() {
    if (reweighed().isEmpty()) {
      return List.of();
    }
    Map<String, ModelDeployment> old = byVersion(before);
    return after.stream().filter(d -> !d.equals(old.get(d.getVersion()))).toList();
  }

  /** What changed, e.g. {@code v2 90 -> 0, v1 10 -> 100}; empty when nothing did. */
  public String changes() {
    Map<String, ModelDeployment> old = byVersion(before);
    return reweighed().stream()
        .map(d -> d.getVersion() + " " + weight(old.get(d.getVersion()).getTrafficWeight()) + " -> " + weight(d.getTrafficWeight()))
        .collect(Collectors.joining(", "));
  }

  private List<ModelDeployment> reweighed() {
    Map<String, ModelDeployment> old = byVersion(before);
    return after.stream().filter(d -> old.get(d.getVersion()).getTrafficWeight() != d.getTrafficWeight()).toList();
  }

  /**
   * How the model's unversioned requests split after the change, as the ingress routes them (each
   * active version's weight over the sum of the active weights), e.g.
   * {@code v1 90 (90.0 %), v2 10 (10.0 %), v3 shadow}.
   */
  public String split() {
    return split(after);
  }

  /** The split of the given versions of one model. */
  public static String split(List<ModelDeployment> versions) {
    double total = versions.stream().filter(TrafficPlan::isActive).mapToDouble(ModelDeployment::getTrafficWeight).sum();
    List<String> parts = new ArrayList<>();
    for (ModelDeployment version : versions) {
      parts.add(version.getVersion() + " " + (version.getShadow() ? "shadow"
          : weight(version.getTrafficWeight()) + " (" + share(version, total) + ")"));
    }
    return String.join(", ", parts);
  }

  /** The share of the unversioned traffic a version gets, e.g. {@code 90.0 %}; a shadow gets none. */
  public static String share(ModelDeployment version, double totalActiveWeight) {
    double share = TrafficPlan.isActive(version) && totalActiveWeight > 0 ? 100 * version.getTrafficWeight() / totalActiveWeight : 0;
    return String.format(Locale.ROOT, "%.1f %%", share);
  }

  /** A weight without needless decimals: {@code 90}, {@code 0.5}. */
  public static String weight(double weight) {
    return Double.isFinite(weight) ? BigDecimal.valueOf(weight).stripTrailingZeros().toPlainString() : Double.toString(weight);
  }

  private static Map<String, ModelDeployment> byVersion(List<ModelDeployment> versions) {
    return versions.stream().collect(Collectors.toMap(ModelDeployment::getVersion, Function.identity()));
  }
}
