package dev.sluice.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where a Sluice component's configuration comes from: an optional properties file, overridden by
 * environment variables, so secrets can come from the environment (or from files mounted into the
 * container, through Kafka's own {@code config.providers}).
 *
 * <p>Environment variables map to keys as follows; other variables are ignored:
 *
 * <ul>
 *   <li>{@code SLUICE_BOOTSTRAP_SERVERS}, {@code SLUICE_SCHEMA_REGISTRY_URL},
 *       {@code SLUICE_TOPIC_PREFIX}: {@code bootstrap.servers}, {@code schema.registry.url},
 *       {@code topic.prefix} (the names the {@code sluice} command line reads too);
 *   <li>{@code SLUICE_<COMPONENT>_<NAME>} for the components {@code INGRESS}, {@code WORKER},
 *       {@code MONITOR} and {@code GATEWAY}, and the shared {@code TRACING} settings: {@code <component>.<name>},
 *       lower-cased with {@code _} read as {@code .}
 *       (e.g. {@code SLUICE_INGRESS_DEDUP_TTL_MS} is {@code ingress.dedup.ttl.ms},
 *       {@code SLUICE_WORKER_FLUSH_MAX_RECORDS} is {@code worker.flush.max.records},
 *       {@code SLUICE_TRACING_OTLP_ENDPOINT} is {@code tracing.otlp.endpoint});
 *   <li>{@code SLUICE_KAFKA_<NAME>}: {@code <name>} the same way, for any Kafka Streams, client or
 *       registry key (e.g. {@code SLUICE_KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}).
 * </ul>
 *
 * <p>Keys whose names hold {@code _}, {@code -} or capitals (a tenant named {@code eu_west}, say)
 * cannot be spelt as variables and belong in the file.
 */
public final class ConfigSources {
  private static final Map<String, String> NAMED = Map.of(
      "SLUICE_BOOTSTRAP_SERVERS", "bootstrap.servers",
      "SLUICE_SCHEMA_REGISTRY_URL", "schema.registry.url",
      "SLUICE_TOPIC_PREFIX", "topic.prefix");
  private static final List<String> COMPONENT_PREFIXES = List.of("SLUICE_INGRESS_", "SLUICE_WORKER_", "SLUICE_MONITOR_", "SLUICE_GATEWAY_",
      "SLUICE_TRACING_");
  private static final String KAFKA_PREFIX = "SLUICE_KAFKA_";

  private ConfigSources() {}

  /**
   * Reads a properties file (ISO-8859-1 escapes aside, UTF-8).
   *
   * @throws ConfigException when the file cannot be read
   */
  public static Map<String, String> load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration file " + file + ": " + e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
    return values;
  }

  /**
   * The file's keys with the environment's overrides applied.
   *
   * @param file keys from the properties file (may be empty)
   * @param environment the process environment, e.g. {@code System.getenv()}
   * @return a new map; the environment wins over the file
   */
  public static Map<String, String> merge(Map<String, String> file, Map<String, String> environment) {
    Map<String, String> merged = new LinkedHashMap<>(file);
    environment.forEach((variable, value) -> {
      String key = keyOf(variable);
      if (key != null) {
        merged.put(key, value);
      }
    });
    return merged;
  }

  /**
   * The Kafka client keys the environment sets through {@code SLUICE_KAFKA_<NAME>} variables, for
   * commands that pass settings to Kafka clients only (the registry, the operator commands).
   *
   * @param environment the process environment, e.g. {@code System.getenv()}
   * @return a new map of client key to value
   */
  public static Map<String, String> kafkaClientKeys(Map<String, String> environment) {
    Map<String, String> keys = new LinkedHashMap<>();
    environment.forEach((variable, value) -> {
      if (variable.startsWith(KAFKA_PREFIX) && variable.length() > KAFKA_PREFIX.length()) {
        keys.put(keyOf(variable), value);
      }
    });
    return keys;
  }

  /** The configuration key an environment variable sets, or null when it sets none. */
  public static String keyOf(String variable) {
    String named = NAMED.get(variable);
    if (named != null) {
      return named;
    }
    for (String prefix : COMPONENT_PREFIXES) {
      if (variable.startsWith(prefix) && variable.length() > prefix.length()) {
        return dotted(variable.substring("SLUICE_".length()));
      }
    }
    if (variable.startsWith(KAFKA_PREFIX) && variable.length() > KAFKA_PREFIX.length()) {
      return dotted(variable.substring(KAFKA_PREFIX.length()));
    }
    return null;
  }

  private static String dotted(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
