package dev.sluice.topology.monitor;

import dev.sluice.schemas.config.ConfigReader;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.app.StreamsAppSettings;
import dev.sluice.topology.ingress.ReplacementBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a {@link MonitorConfig} out of a property map, collecting every problem. */
final class MonitorConfigReader {
  private static final Set<String> MONITOR_KEYS = Set.of(
      MonitorConfig.WINDOW_SIZES_MS, MonitorConfig.WINDOW_GRACE_MS, MonitorConfig.EARLY_UPDATE_MS,
      MonitorConfig.QUALITY_JOIN_WINDOW_MS, MonitorConfig.ALERT_WINDOW_MS, MonitorConfig.ALERT_BASELINE_WINDOWS,
      MonitorConfig.ALERT_SPIKE_FACTOR, MonitorConfig.ALERT_DROP_FACTOR, MonitorConfig.ALERT_MIN_REQUESTS,
      MonitorConfig.ALERT_ERROR_RATE, MonitorConfig.ALERT_LATENCY_FACTOR, MonitorConfig.HTTP_PORT,
      MonitorConfig.SHUTDOWN_TIMEOUT_MS, MonitorConfig.THREAD_REPLACEMENTS_MAX, MonitorConfig.THREAD_REPLACEMENTS_WINDOW_MS);
  private static final List<Duration> DEFAULT_SIZES = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1));

  private final Map<String, String> properties;
  private final ConfigReader reader;

  MonitorConfigReader(Map<String, String> properties) {
    this.properties = Map.copyOf(properties);
    this.reader = new ConfigReader(this.properties);
  }

  /** Whether a key goes on to Kafka Streams: everything but the monitor's and the registry's own. */
  static boolean passesThrough(String key) {
    return StreamsAppSettings.passesThrough(key, "monitor.");
  }

  MonitorConfig read() {
    StreamsAppSettings common = StreamsAppSettings.read(reader, MonitorConfig.DEFAULT_APPLICATION_ID,
        "each window's snapshot is produced once");
    String applicationId = common.applicationId();
    String bootstrap = common.bootstrapServers();
    SchemaRegistryClientConfig registry = common.registry();
    PipelineTopics topics = common.topics();
    String stateDir = common.stateDir();
    MonitorConfig.WindowSpec windows = windows();
    Duration early = Duration.ofMillis(reader.longAtLeast(MonitorConfig.EARLY_UPDATE_MS, 1_000, 0));
    Duration join = Duration.ofMillis(reader.longAtLeast(MonitorConfig.QUALITY_JOIN_WINDOW_MS, 3_600_000, 1));
    AlertRules rules = new AlertRules(
        reader.intAtLeast(MonitorConfig.ALERT_BASELINE_WINDOWS, 6, 1),
        decimalAbove(MonitorConfig.ALERT_SPIKE_FACTOR, 3.0, 1.0, Double.MAX_VALUE),
        decimalAbove(MonitorConfig.ALERT_DROP_FACTOR, 3.0, 1.0, Double.MAX_VALUE),
        reader.longAtLeast(MonitorConfig.ALERT_MIN_REQUESTS, 20, 1),
        decimalAbove(MonitorConfig.ALERT_ERROR_RATE, 0.05, -Double.MIN_VALUE, 1.0),
        decimalAbove(MonitorConfig.ALERT_LATENCY_FACTOR, 1.5, 1.0, Double.MAX_VALUE));
    int httpPort = reader.intAtLeast(MonitorConfig.HTTP_PORT, 8092, 0);
    if (httpPort > 65_535) {
      reader.invalid(MonitorConfig.HTTP_PORT, httpPort, "must be <= 65535");
    }
    Duration shutdown = Duration.ofMillis(reader.longAtLeast(MonitorConfig.SHUTDOWN_TIMEOUT_MS, 30_000, 0));
    ReplacementBudget budget = new ReplacementBudget(reader.intAtLeast(MonitorConfig.THREAD_REPLACEMENTS_MAX, 5, 0),
        Duration.ofMillis(reader.longAtLeast(MonitorConfig.THREAD_REPLACEMENTS_WINDOW_MS, 600_000, 1)));
    new TreeSet<>(properties.keySet()).stream()
        .filter(key -> key.startsWith("monitor.") && !MONITOR_KEYS.contains(key))
        .forEach(key -> reader.invalid(key, properties.get(key), "unknown monitor configuration"));
    reader.throwIfInvalid();
    return new MonitorConfig(applicationId, bootstrap, registry, topics, stateDir, windows, early, join, rules, httpPort,
        shutdown, budget, properties);
  }

  private MonitorConfig.WindowSpec windows() {
    List<Duration> sizes = new ArrayList<>();
    for (String item : reader.list(MonitorConfig.WINDOW_SIZES_MS)) {
      try {
        long millis = Long.parseLong(item);
        if (millis < 1) {
          reader.invalid(MonitorConfig.WINDOW_SIZES_MS, item, "every size must be >= 1");
        } else if (!sizes.contains(Duration.ofMillis(millis))) {
          sizes.add(Duration.ofMillis(millis));
        }
      } catch (NumberFormatException e) {
        reader.invalid(MonitorConfig.WINDOW_SIZES_MS, item, "Not a list of numbers of type LONG");
      }
    }
    if (sizes.isEmpty()) {
      sizes.addAll(DEFAULT_SIZES);
    }
    sizes.sort(null);
    Duration grace = Duration.ofMillis(reader.longAtLeast(MonitorConfig.WINDOW_GRACE_MS, 5_000, 0));
    Duration alert = Duration.ofMillis(reader.longAtLeast(MonitorConfig.ALERT_WINDOW_MS, sizes.get(0).toMillis(), 1));
    if (!sizes.contains(alert)) {
      reader.invalid(MonitorConfig.ALERT_WINDOW_MS, alert.toMillis(), "must be one of " + MonitorConfig.WINDOW_SIZES_MS);
      alert = sizes.get(0);
    }
    return new MonitorConfig.WindowSpec(sizes, grace, alert);
  }

  /** A finite decimal in (exclusiveMin, max]. */
  private double decimalAbove(String key, double defaultValue, double exclusiveMin, double max) {
    String text = reader.string(key).orElse(null);
    if (text == null) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value) && value > exclusiveMin && value <= max) {
        return value;
      }
      reader.invalid(key, text, exclusiveMin < 0 ? "must be between 0 and " + max : "must be a finite number > " + exclusiveMin);
    } catch (NumberFormatException e) {
      reader.invalid(key, text, "Not a number of type DOUBLE");
    }
    return defaultValue;
  }
}
