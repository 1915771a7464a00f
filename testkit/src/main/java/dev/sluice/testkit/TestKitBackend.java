package dev.sluice.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a test cluster runs; chosen by {@link KafkaClusters}. */
public enum TestKitBackend {
  /** Testcontainers when Docker is available and the shape allows, in-process otherwise. */
  AUTO,
  /** Kafka's own KRaft test kit, inside the test JVM. */
  INPROCESS,
  /** Testcontainers' {@code apache/kafka} container; needs Docker; one combined broker only. */
  CONTAINER;

  /**
   * Parses a backend name as given in {@value KafkaClusters#BACKEND_PROPERTY}, ignoring case;
   * null or blank means {@link #AUTO}.
   *
   * @throws IllegalArgumentException in Kafka's message shape for an unknown name
   */
  public static TestKitBackend parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    String normalized = value.trim().toUpperCase(Locale.ROOT).replace("-", "");
    for (TestKitBackend backend : values()) {
      if (backend.name().equals(normalized)) {
        return backend;
      }
    }
    throw new IllegalArgumentException("Invalid value " + value + " for configuration "
        + KafkaClusters.BACKEND_PROPERTY + ": must be one of " + Arrays.stream(values())
            .map(b -> b.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
  }
}
