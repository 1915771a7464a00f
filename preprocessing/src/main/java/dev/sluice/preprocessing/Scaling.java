package dev.sluice.preprocessing;

/** How tabular features are scaled with the statistics of the model's deployment record. */
public enum Scaling {
  /** {@code (x - mean) / stddev}; a feature with zero standard deviation scales to 0.0. */
  STANDARDIZE,
  /** {@code (x - min) / (max - min)}; a feature with an empty range scales to 0.0. */
  MIN_MAX
}
