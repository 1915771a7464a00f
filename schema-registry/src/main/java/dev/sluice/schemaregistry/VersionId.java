package dev.sluice.schemaregistry;

/**
 * A version as a path segment names it: a number from 1 to 2^31-1, or {@code latest} / {@code -1}
 * for the newest version.
 *
 * @param value the version, or {@link #LATEST}
 */
record VersionId(int value) {

  static final int LATEST = -1;

  /**
   * Parses a path segment.
   *
   * @throws RegistryApiException 42202 for anything else
   */
  static VersionId parse(String raw) {
    if (raw.trim().equalsIgnoreCase("latest")) {
      return new VersionId(LATEST);
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw RegistryApiException.invalidVersion(raw);
    }
    if (value <= 0 && value != LATEST) {
      throw RegistryApiException.invalidVersion(raw);
    }
    return new VersionId(value);
  }

  boolean isLatest() {
    return value == LATEST;
  }
}
