package dev.sluice.topology.monitor;

import dev.sluice.schemas.topics.ModelKey;

/**
 * The monitor's record keys: {@code model/version} ({@link ModelKey#encode()}). A rejection has
 * no version (it never reached routing) and may have no usable model (undecodable, unknown or
 * malformed name): it is counted under version {@value #ALL}, and model {@value #ALL} when the
 * model is missing or not a valid name.
 */
final class MonitorKeys {
  /** Stands for "no version" and "no usable model". */
  static final String ALL = "*";

  private MonitorKeys() {}

  /** The key of a model version; {@value #ALL} replaces a missing or malformed part. */
  static String of(String model, String version) {
    String name = usable(model) ? model : ALL;
    return new ModelKey(name, usable(version) ? version : ALL).encode();
  }

  /** The model part of a key. */
  static String model(String key) {
    return ModelKey.decode(key).model();
  }

  /** The version part of a key. */
  static String version(String key) {
    return ModelKey.decode(key).version();
  }

  private static boolean usable(String part) {
    return part != null && !part.isBlank() && part.indexOf('/') < 0;
  }
}
