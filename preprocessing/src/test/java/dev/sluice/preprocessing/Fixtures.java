package dev.sluice.preprocessing;

import dev.sluice.avro.Engine;
import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.Task;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders for the Avro values the tests feed in. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private Fixtures() {}

  static InferenceRequest request(Object input) {
    return new InferenceRequest("req-1", "minilm", null, null, null, null, null, input, null, new HashMap<>());
  }

  static TextInput text(String text) {
    return new TextInput(text);
  }

  static TensorInput tensor(List<Integer> shape, List<Float> values) {
    return new TensorInput(shape, values);
  }

  /** A row from alternating name/value pairs; a null value marks a missing feature. */
  static TabularInput row(Object... nameValuePairs) {
    Map<String, Double> features = new LinkedHashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      Object value = nameValuePairs[i + 1];
      features.put((String) nameValuePairs[i], value == null ? null : ((Number) value).doubleValue());
    }
    return new TabularInput(features);
  }

  static FeatureStats stats(String name, double mean, double stddev, double min, double max, Double impute) {
    return new FeatureStats(name, mean, stddev, min, max, impute);
  }

  /**
   * A deployment of model "minilm". Built with the constructor, not the builder: the builder
   * resolves the enum defaults by class name, which Avro 1.12.2 refuses outside its allow-list.
   */
  static ModelDeployment deployment(String version, double weight, boolean shadow) {
    return deployment("minilm", version, weight, shadow, null, List.of());
  }

  static ModelDeployment deployment(
      String model, String version, double weight, boolean shadow, ModelLimits limits, List<FeatureStats> stats) {
    return new ModelDeployment(model, version, "classpath:models/" + version, Engine.ONNX_RUNTIME,
        Task.TEXT_EMBEDDING, weight, null, shadow, limits, stats, List.of(), Map.of(), NOW, null, List.of());
  }

  static ModelDeployment withLimits(ModelDeployment d, ModelLimits limits, List<FeatureStats> stats) {
    return deployment(d.getModel(), d.getVersion(), d.getTrafficWeight(), d.getShadow(), limits, stats);
  }

  static EffectiveLimits limits() {
    return EffectiveLimits.of(deployment("v1", 1, false), IngressDefaults.defaults());
  }

  static EffectiveLimits tensorLimits(List<Integer> expectedShape) {
    IngressDefaults d = IngressDefaults.defaults();
    return new EffectiveLimits(d.maxTextChars(), d.maxPayloadBytes(), Optional.of(expectedShape), Optional.empty(),
        List.of(), d.lowercase(), d.scaling(), d.unknownFeatures());
  }

  static EffectiveLimits tabularLimits(
      Optional<List<String>> names, List<FeatureStats> stats, Scaling scaling, UnknownFeaturePolicy policy) {
    return new EffectiveLimits(8192, 1_048_576, Optional.empty(), names, stats, false, scaling, policy);
  }

  static EffectiveLimits textLimits(int maxChars, boolean lowercase) {
    return new EffectiveLimits(maxChars, 1_048_576, Optional.empty(), Optional.empty(), List.of(), lowercase,
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);
  }
}
