package dev.sluice.schemas.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads typed values out of a Kafka-style property map and collects every problem it meets,
 * worded the way Kafka words them ({@code Invalid value 0 for configuration x: must be >= 1}),
 * so that a component can report all of its configuration mistakes at once.
 *
 * <p>Values may be given as strings (from properties files or the environment) or already typed
 * ({@link Number}, {@link Boolean}, {@link List}), as Kafka clients accept both. Keys that no
 * component asks for are ignored: serde and client configs share one map with the producer's.
 */
public final class ConfigReader {
  private final Map<String, ?> values;
  private final List<String> problems = new ArrayList<>();

  /** Creates a reader over the given properties; the map is not copied or changed. */
  public ConfigReader(Map<String, ?> values) {
    this.values = values == null ? Map.of() : values;
  }

  /** Whether a non-null value is present for the key. */
  public boolean has(String key) {
    return values.get(key) != null;
  }

  /** The raw value for the key, when present. */
  public Optional<Object> raw(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The value as a trimmed string; blank strings count as absent. */
  public Optional<String> string(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value).trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The value as a list: a {@link List} as given, or a comma-separated string split and trimmed. */
  public List<String> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      return List.of();
    }
    List<String> items = value instanceof List<?> list
        ? list.stream().map(String::valueOf).toList()
        : Arrays.asList(String.valueOf(value).split(","));
    return items.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The value as a boolean, or the default; anything but true/false is reported. */
  public boolean bool(String key, boolean defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    invalid(key, value, "Expected value to be either true or false");
    return defaultValue;
  }

  /** The value as an int of at least {@code min}, or the default; other values are reported. */
  public int intAtLeast(String key, int defaultValue, int min) {
    long value = longAtLeast(key, defaultValue, min);
    if (value > Integer.MAX_VALUE) {
      invalid(key, value, "must be <= " + Integer.MAX_VALUE);
      return defaultValue;
    }
    return (int) value;
  }

  /** The value as a long of at least {@code min}, or the default; other values are reported. */
  public long longAtLeast(String key, long defaultValue, long min) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      parsed = ((Number) value).longValue();
    } else {
      try {
        parsed = Long.parseLong(String.valueOf(value).trim());
      } catch (NumberFormatException e) {
        invalid(key, value, "Not a number of type LONG");
        return defaultValue;
      }
    }
    if (parsed < min) {
      invalid(key, parsed, "must be >= " + min);
      return defaultValue;
    }
    return parsed;
  }

  /** Records a problem in Kafka's shape: {@code Invalid value V for configuration K: reason}. */
  public void invalid(String key, Object value, String reason) {
    problems.add(new ConfigException(key, value, reason).getMessage());
  }

  /** Records that a required key is missing, in Kafka's words. */
  public void missing(String key) {
    problems.add("Missing required configuration \"" + key + "\" which has no default value.");
  }

  /** The problems found so far, one line each, in the order they were found. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Throws one {@link ConfigException} listing every problem found, one per line, if there is any.
   *
   * @throws ConfigException when at least one problem was recorded
   */
  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }
}
