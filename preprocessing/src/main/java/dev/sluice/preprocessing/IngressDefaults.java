package dev.sluice.preprocessing;

import java.util.ArrayList;
import java.util.List;

/**
 * Global input limits and normalization settings of the ingress; a model's deployment record
 * overrides the limits it sets (see {@link EffectiveLimits#of}).
 *
 * @param maxTextChars longest normalized text, in UTF-16 chars; longer text is truncated
 *     ({@value #MAX_TEXT_CHARS_CONFIG}, at least 1)
 * @param maxPayloadBytes largest serialized request accepted, in bytes
 *     ({@value #MAX_PAYLOAD_BYTES_CONFIG}, at least 1)
 * @param lowercase whether text is lower-cased during normalization ({@value #LOWERCASE_CONFIG})
 * @param scaling how tabular features are scaled ({@value #SCALING_CONFIG})
 * @param unknownFeatures what happens to tabular features the model does not expect
 *     ({@value #UNKNOWN_FEATURES_CONFIG})
 */
public record IngressDefaults(
    int maxTextChars,
    int maxPayloadBytes,
    boolean lowercase,
    Scaling scaling,
    UnknownFeaturePolicy unknownFeatures) {

  /** Configuration key of {@link #maxTextChars}. */
  public static final String MAX_TEXT_CHARS_CONFIG = "ingress.max.text.chars";
  /** Configuration key of {@link #maxPayloadBytes}. */
  public static final String MAX_PAYLOAD_BYTES_CONFIG = "ingress.max.payload.bytes";
  /** Configuration key of {@link #lowercase}. */
  public static final String LOWERCASE_CONFIG = "ingress.text.lowercase";
  /** Configuration key of {@link #scaling}. */
  public static final String SCALING_CONFIG = "ingress.tabular.scaling";
  /** Configuration key of {@link #unknownFeatures}. */
  public static final String UNKNOWN_FEATURES_CONFIG = "ingress.tabular.unknown.features";

  /** Default of {@link #maxTextChars}. */
  public static final int DEFAULT_MAX_TEXT_CHARS = 8192;
  /** Default of {@link #maxPayloadBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

  /**
   * Checks every setting and reports all problems at once.
   *
   * @throws IllegalArgumentException listing every invalid setting, one per line, in Kafka's
   *     words ({@code Invalid value 0 for configuration ingress.max.text.chars: must be >= 1})
   */
  public IngressDefaults {
    List<String> problems = new ArrayList<>();
    if (maxTextChars < 1) {
      problems.add(invalid(maxTextChars, MAX_TEXT_CHARS_CONFIG, "must be >= 1"));
    }
    if (maxPayloadBytes < 1) {
      problems.add(invalid(maxPayloadBytes, MAX_PAYLOAD_BYTES_CONFIG, "must be >= 1"));
    }
    if (scaling == null) {
      problems.add(invalid(null, SCALING_CONFIG, "must be one of " + List.of(Scaling.values())));
    }
    if (unknownFeatures == null) {
      problems.add(invalid(null, UNKNOWN_FEATURES_CONFIG,
          "must be one of " + List.of(UnknownFeaturePolicy.values())));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /**
   * The defaults: 8192 chars, 1 MiB, no lower-casing, standardization, unknown features rejected.
   *
   * @return the default settings
   */
  public static IngressDefaults defaults() {
    return new IngressDefaults(DEFAULT_MAX_TEXT_CHARS, DEFAULT_MAX_PAYLOAD_BYTES, false,
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);
  }

  private static String invalid(Object value, String key, String reason) {
    return "Invalid value " + value + " for configuration " + key + ": " + reason;
  }
}
