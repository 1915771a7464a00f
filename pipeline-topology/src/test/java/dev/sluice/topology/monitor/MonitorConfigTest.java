package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.topology.ingress.ReplacementBudget;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {
  private static final Map<String, String> REQUIRED = Map.of("bootstrap.servers", "broker:9092", "schema.registry.url", "http://registry:8081");

  private static Map<String, String> with(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(REQUIRED);
    properties.putAll(extra);
    return properties;
  }

  @Test
  void appliesDefaultsWhenOnlyTheRequiredKeysAreGiven() {
    MonitorConfig config = MonitorConfig.parse(REQUIRED);

    assertThat(config.applicationId()).isEqualTo("sluice-monitor");
    assertThat(config.topics().metrics()).isEqualTo("sluice.metrics");
    assertThat(config.windows().sizes()).containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(1));
    assertThat(config.windows().grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.windows().alertWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.earlyUpdate()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.qualityJoinWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(config.alertRules()).isEqualTo(new AlertRules(6, 3.0, 3.0, 20, 0.05, 1.5));
    assertThat(config.httpPort()).isEqualTo(8092);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.threadReplacements()).isEqualTo(new ReplacementBudget(5, Duration.ofMinutes(10)));
  }

  @Test
  void readsEveryMonitorKey() {
    MonitorConfig config = MonitorConfig.parse(with(Map.ofEntries(
        Map.entry("monitor.window.sizes.ms", "60000, 5000"), Map.entry("monitor.window.grace.ms", "0"),
        Map.entry("monitor.early.update.interval.ms", "0"), Map.entry("monitor.quality.join.window.ms", "1000"),
        Map.entry("monitor.alert.window.ms", "60000"), Map.entry("monitor.alert.baseline.windows", "2"),
        Map.entry("monitor.alert.throughput.spike.factor", "2.5"), Map.entry("monitor.alert.throughput.drop.factor", "4"),
        Map.entry("monitor.alert.min.requests", "1"), Map.entry("monitor.alert.error.rate.threshold", "0"),
        Map.entry("monitor.alert.latency.regression.factor", "1.1"), Map.entry("monitor.http.port", "0"),
        Map.entry("monitor.shutdown.timeout.ms", "10"), Map.entry("monitor.thread.replacements.max", "1"),
        Map.entry("monitor.thread.replacements.window.ms", "1000"))));

    assertThat(config.windows().sizes()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(1));
    assertThat(config.windows().grace()).isZero();
    assertThat(config.windows().alertWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.earlyUpdates()).isFalse();
    assertThat(config.qualityJoinWindow()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.alertRules()).isEqualTo(new AlertRules(2, 2.5, 4.0, 1, 0.0, 1.1));
    assertThat(config.httpPort()).isZero();
    assertThat(config.threadReplacements()).isEqualTo(new ReplacementBudget(1, Duration.ofSeconds(1)));
  }

  @Test
  void reportsEveryProblemAtOnceInKafkasWords() {
    assertThatThrownBy(() -> MonitorConfig.parse(Map.of(
        "schema.registry.url", "http://registry:8081",
        "monitor.window.sizes.ms", "10000,soon",
        "monitor.alert.window.ms", "30000",
        "monitor.alert.throughput.spike.factor", "1",
        "monitor.alert.error.rate.threshold", "2",
        "monitor.http.port", "70000",
        "monitor.windows", "10s",
        "processing.guarantee", "at_least_once")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage().lines().toList()).containsExactlyInAnyOrder(
            "Missing required configuration \"bootstrap.servers\" which has no default value.",
            "Invalid value soon for configuration monitor.window.sizes.ms: Not a list of numbers of type LONG",
            "Invalid value 30000 for configuration monitor.alert.window.ms: must be one of monitor.window.sizes.ms",
            "Invalid value 1 for configuration monitor.alert.throughput.spike.factor: must be a finite number > 1.0",
            "Invalid value 2 for configuration monitor.alert.error.rate.threshold: must be between 0 and 1.0",
            "Invalid value 70000 for configuration monitor.http.port: must be <= 65535",
            "Invalid value 10s for configuration monitor.windows: unknown monitor configuration",
            "Invalid value at_least_once for configuration processing.guarantee: must be exactly_once_v2: each window's snapshot"
                + " is produced once"));
  }

  @Test
  void passesOtherKeysToKafkaStreamsWithExactlyOnceAlways() {
    Properties streams = MonitorConfig.parse(with(Map.of("commit.interval.ms", "500", "security.protocol", "SSL",
        "monitor.http.port", "0", "topic.prefix", "eu"))).streamsProperties();

    assertThat(streams).containsEntry("commit.interval.ms", "500").containsEntry("security.protocol", "SSL")
        .containsEntry("processing.guarantee", "exactly_once_v2").containsEntry("application.id", "sluice-monitor")
        .doesNotContainKeys("monitor.http.port", "topic.prefix", "schema.registry.url");
    assertThat(List.copyOf(streams.stringPropertyNames())).noneMatch(key -> key.startsWith("monitor."));
  }
}
