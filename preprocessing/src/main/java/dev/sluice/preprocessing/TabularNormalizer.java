package dev.sluice.preprocessing;

import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a tabular row into the row the model expects: exactly the expected features, in the
 * expected order, missing values imputed, values scaled.
 *
 * <p>The expected features are the limits' feature names; without them, the names of the feature
 * statistics in their order; without either, the row's own features sorted by name, with nothing
 * scaled. A feature that is absent or null is imputed with its statistics' impute value, else
 * their mean; a missing feature without statistics rejects the row with MISSING_FIELD. Features
 * the model does not expect reject the row with UNKNOWN_FEATURE under
 * {@link UnknownFeaturePolicy#REJECT} and are dropped under {@link UnknownFeaturePolicy#DROP};
 * unknown features are checked before missing ones. Values (imputed ones included; impute values
 * are in the feature's raw units) are scaled by {@link Scaling} where the feature has statistics
 * and passed on unscaled where it has none. A non-finite value, given or produced by scaling,
 * rejects the row with NON_FINITE_NUMBER.
 */
public final class TabularNormalizer {

  /** Creates a tabular normalizer; it holds no state. */
  public TabularNormalizer() {}

  /**
   * Normalizes one row.
   *
   * @param input the row as the producer sent it
   * @param limits the limits of the model version the row goes to
   * @return a row holding every expected feature in expected order, or the first failure
   */
  public Outcome<TabularInput> normalize(TabularInput input, EffectiveLimits limits) {
    Objects.requireNonNull(limits, "limits");
    if (input == null || input.getFeatures() == null) {
      return Outcome.rejected(ReasonCode.MISSING_FIELD, "input.features is missing");
    }
    Map<String, Double> row = input.getFeatures();
    Map<String, FeatureStats> stats = new HashMap<>();
    limits.featureStats().forEach(s -> stats.put(s.getName(), s));
    List<String> expected = expectedNames(row, limits);

    Set<String> expectedSet = new HashSet<>(expected);
    TreeSet<String> unknown = new TreeSet<>();
    for (String name : row.keySet()) {
      if (name == null) {
        return Outcome.rejected(ReasonCode.MISSING_FIELD, "input.features has a feature without a name");
      }
      if (!expectedSet.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty() && limits.unknownFeatures() == UnknownFeaturePolicy.REJECT) {
      return Outcome.rejected(ReasonCode.UNKNOWN_FEATURE,
          "input.features has features the model does not expect: " + unknown + "; expected " + expected);
    }

    Map<String, Double> out = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name : expected) {
      FeatureStats s = stats.get(name);
      Double raw = row.get(name);
      if (raw == null && s == null) {
        missing.add(name);
        continue;
      }
      double value = raw != null ? raw : s.getImpute() != null ? s.getImpute() : s.getMean();
      if (!Double.isFinite(value)) {
        return Outcome.rejected(ReasonCode.NON_FINITE_NUMBER, "input.features[\"" + name + "\"] is " + value);
      }
      double scaled = s == null ? value : scale(value, s, limits.scaling());
      if (!Double.isFinite(scaled)) {
        return Outcome.rejected(ReasonCode.NON_FINITE_NUMBER, "input.features[\"" + name + "\"] = " + value
            + " scales to " + scaled + " with " + limits.scaling());
      }
      out.put(name, scaled);
    }
    if (!missing.isEmpty()) {
      return Outcome.rejected(ReasonCode.MISSING_FIELD,
          "input.features lacks " + missing + " and the model has no statistics to impute them from");
    }
    return Outcome.accepted(new TabularInput(out));
  }

  private static List<String> expectedNames(Map<String, Double> row, EffectiveLimits limits) {
    if (limits.featureNames().isPresent()) {
      return limits.featureNames().get();
    }
    if (!limits.featureStats().isEmpty()) {
      return limits.featureStats().stream().map(FeatureStats::getName).toList();
    }
    List<String> names = new ArrayList<>();
    for (String name : row.keySet()) {
      if (name != null) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private static double scale(double value, FeatureStats s, Scaling scaling) {
    if (scaling == Scaling.STANDARDIZE) {
      return s.getStddev() == 0 ? 0.0 : (value - s.getMean()) / s.getStddev();
    }
    double range = s.getMax() - s.getMin();
    return range == 0 ? 0.0 : (value - s.getMin()) / range;
  }
}
