package dev.sluice.schemas.topics;

/**
 * The record key of a ModelDeployment on the compacted model-registry topic: {@code model/version}.
 * A tombstone under the key undeploys that version.
 *
 * @param model model name (letters, digits, '.', '_' and '-')
 * @param version version label (no '/')
 */
public record ModelKey(String model, String version) {
  private static final char SEPARATOR = '/';

  public ModelKey {
    if (model == null || model.isBlank() || model.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("Invalid model name " + model + ": must be non-blank without '/'");
    }
    if (version == null || version.isBlank() || version.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("Invalid model version " + version + ": must be non-blank without '/'");
    }
  }

  /** The key as written to the topic. */
  public String encode() {
    return model + SEPARATOR + version;
  }

  /** The prefix shared by every version of a model, for prefix scans over the registry store. */
  public static String prefixOf(String model) {
    return model + SEPARATOR;
  }

  /** Parses a key written by {@link #encode()}. */
  public static ModelKey decode(String key) {
    int at = key == null ? -1 : key.indexOf(SEPARATOR);
    if (at < 0) {
      throw new IllegalArgumentException("Invalid model registry key " + key + ": expected model/version");
    }
    return new ModelKey(key.substring(0, at), key.substring(at + 1));
  }
}
