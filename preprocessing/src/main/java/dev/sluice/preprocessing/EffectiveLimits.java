package dev.sluice.preprocessing;

import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The limits and normalization settings that apply to requests for one model version: the
 * deployment record's {@link ModelLimits} where it sets them, the ingress defaults elsewhere.
 *
 * @param maxTextChars longest normalized text, in UTF-16 chars (at least 1)
 * @param maxPayloadBytes largest serialized request, in bytes (at least 1)
 * @param tensorShape shape the model expects, -1 marking a free dimension; empty when any
 * @param featureNames tabular features the model expects, in input order; empty when the
 *     deployment names none
 * @param featureStats statistics of the tabular features, for imputation and scaling
 * @param lowercase whether text is lower-cased
 * @param scaling how tabular features are scaled
 * @param unknownFeatures what happens to tabular features the model does not expect
 */
public record EffectiveLimits(
    int maxTextChars,
    int maxPayloadBytes,
    Optional<List<Integer>> tensorShape,
    Optional<List<String>> featureNames,
    List<FeatureStats> featureStats,
    boolean lowercase,
    Scaling scaling,
    UnknownFeaturePolicy unknownFeatures) {

  /**
   * Checks the limits and copies the lists.
   *
   * @throws IllegalArgumentException listing every problem, one per line
   */
  public EffectiveLimits {
    Objects.requireNonNull(tensorShape, "tensorShape");
    Objects.requireNonNull(featureNames, "featureNames");
    Objects.requireNonNull(featureStats, "featureStats");
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(unknownFeatures, "unknownFeatures");
    List<String> problems = new ArrayList<>();
    if (maxTextChars < 1) {
      problems.add("max_text_chars is " + maxTextChars + ", must be >= 1");
    }
    if (maxPayloadBytes < 1) {
      problems.add("max_payload_bytes is " + maxPayloadBytes + ", must be >= 1");
    }
    tensorShape.ifPresent(shape -> checkShape(shape, problems));
    featureNames.ifPresent(names -> checkNames(names, problems));
    checkStats(featureStats, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    tensorShape = tensorShape.map(List::copyOf);
    featureNames = featureNames.map(List::copyOf);
    featureStats = List.copyOf(featureStats);
  }

  /**
   * The limits of one deployment: each {@link ModelLimits} field it sets (a null or empty list
   * counts as not set), else the default; lower-casing, scaling and the unknown-feature policy
   * always come from the defaults.
   *
   * @param deployment the model version's deployment record
   * @param defaults the ingress defaults
   * @return the effective limits
   * @throws InvalidDeploymentException when the deployment's limits or statistics are unusable
   */
  public static EffectiveLimits of(ModelDeployment deployment, IngressDefaults defaults) {
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(defaults, "defaults");
    ModelLimits limits = deployment.getLimits();
    int maxTextChars = defaults.maxTextChars();
    int maxPayloadBytes = defaults.maxPayloadBytes();
    Optional<List<Integer>> tensorShape = Optional.empty();
    Optional<List<String>> featureNames = Optional.empty();
    if (limits != null) {
      maxTextChars = Objects.requireNonNullElse(limits.getMaxTextChars(), maxTextChars);
      maxPayloadBytes = Objects.requireNonNullElse(limits.getMaxPayloadBytes(), maxPayloadBytes);
      tensorShape = nonEmpty(limits.getTensorShape());
      featureNames = nonEmpty(limits.getFeatureNames());
    }
    List<FeatureStats> stats = Objects.requireNonNullElse(deployment.getFeatureStats(), List.of());
    try {
      return new EffectiveLimits(maxTextChars, maxPayloadBytes, tensorShape, featureNames, stats,
          defaults.lowercase(), defaults.scaling(), defaults.unknownFeatures());
    } catch (IllegalArgumentException e) {
      throw new InvalidDeploymentException(
          deployment.getModel(), deployment.getVersion(), e.getMessage(), e);
    }
  }

  private static <E> Optional<List<E>> nonEmpty(List<E> list) {
    return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list);
  }

  private static void checkShape(List<Integer> shape, List<String> problems) {
    if (shape.isEmpty()) {
      problems.add("tensor_shape is empty; leave it unset to accept any shape");
    }
    for (int i = 0; i < shape.size(); i++) {
      Integer dim = shape.get(i);
      if (dim == null || (dim != -1 && dim < 1)) {
        problems.add("tensor_shape[" + i + "] is " + dim + ", must be -1 (free) or >= 1");
      }
    }
  }

  private static void checkNames(List<String> names, List<String> problems) {
    if (names.isEmpty()) {
      problems.add("feature_names is empty; leave it unset to take the names from feature_stats");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null) {
        problems.add("feature_names[" + i + "] is null");
      } else if (!seen.add(name)) {
        problems.add("feature_names[" + i + "] repeats \"" + name + "\"");
      }
    }
  }

  private static void checkStats(List<FeatureStats> stats, List<String> problems) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < stats.size(); i++) {
      FeatureStats s = stats.get(i);
      String where = "feature_stats[" + i + "]";
      if (s == null || s.getName() == null) {
        problems.add(where + " has no name");
        continue;
      }
      where += " (\"" + s.getName() + "\")";
      if (!seen.add(s.getName())) {
        problems.add(where + " repeats a feature");
      }
      if (!Double.isFinite(s.getMean()) || !Double.isFinite(s.getStddev())
          || !Double.isFinite(s.getMin()) || !Double.isFinite(s.getMax())) {
        problems.add(where + " has a non-finite mean, stddev, min or max");
      } else if (s.getStddev() < 0) {
        problems.add(where + " has a negative stddev " + s.getStddev());
      } else if (s.getMax() < s.getMin()) {
        problems.add(where + " has max " + s.getMax() + " below min " + s.getMin());
      }
      if (s.getImpute() != null && !Double.isFinite(s.getImpute())) {
        problems.add(where + " has a non-finite impute value " + s.getImpute());
      }
    }
  }
}
