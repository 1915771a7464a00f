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
  /** The key of the wall-clock ticks ({@link WallClockTicks}); no model can be named so. */
  static final String TICK = "~tick/~";

  private MonitorKeys() {}

  /** Whether a key is a real model version's (or rejections'), not the wall-clock ticks'. */
  static boolean counts(String key) {
    return !TICK.equals(key);
  }

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
