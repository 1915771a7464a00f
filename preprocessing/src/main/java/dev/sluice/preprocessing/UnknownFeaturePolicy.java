package dev.sluice.preprocessing;

/** What the tabular normalizer does with a feature the model does not expect. */
public enum UnknownFeaturePolicy {
  /** Reject the request with reason UNKNOWN_FEATURE, naming the unknown features. */
  REJECT,
  /** Drop the unknown features and go on with the expected ones. */
  DROP
}
