package dev.sluice.cli.run;

import dev.sluice.schemas.config.ConfigSources;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of a component command: the properties file, then SLUICE_* environment variables,
 * then the flags given; what is still missing points at the local stack of {@code ./sluice broker}.
 */
final class ComponentSettings {
  private final Map<String, String> properties;

  ComponentSettings(Path configFile, Map<String, String> environment) {
    properties = new HashMap<>(ConfigSources.merge(configFile == null ? Map.of() : ConfigSources.load(configFile), environment));
  }

  /** Sets a key when its flag was given. */
  ComponentSettings flag(String key, String valueOrNull) {
    if (valueOrNull != null) {
      properties.put(key, valueOrNull);
    }
    return this;
  }

  /** Sets a key when neither the file, the environment nor a flag did. */
  ComponentSettings orDefault(String key, String value) {
    properties.putIfAbsent(key, value);
    return this;
  }

  /** The settings, with the local stack's addresses where none were given. */
  Map<String, String> toMap() {
    orDefault("bootstrap.servers", "localhost:9092");
    orDefault("schema.registry.url", "http://localhost:8081");
    return Map.copyOf(properties);
  }
}
