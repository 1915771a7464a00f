package dev.sluice.topology.monitor;

import dev.sluice.schemas.config.ConfigSources;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.app.StreamsAppSettings;
import dev.sluice.topology.ingress.DeserializationFailureHandler;
import dev.sluice.topology.ingress.ReplacementBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The monitoring application's configuration: one immutable record, parsed from a property map
 * (a properties file merged with the environment by {@link ConfigSources}) with every problem
 * reported at once in Kafka's words.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code bootstrap.servers}, {@code schema.registry.url}</td><td>(required)</td><td>cluster and registry</td></tr>
 *   <tr><td>{@code application.id}</td><td>sluice-monitor</td><td>Streams application id</td></tr>
 *   <tr><td>{@code topic.prefix}</td><td>sluice</td><td>topic-name prefix</td></tr>
 *   <tr><td>{@code state.dir}, {@code num.standby.replicas}, {@code num.stream.threads}</td><td>Kafka's, 0, 1</td><td></td></tr>
 *   <tr><td>{@code processing.guarantee}</td><td>exactly_once_v2</td><td>nothing else is accepted</td></tr>
 *   <tr><td>{@value #WINDOW_SIZES_MS}</td><td>10000,60000</td><td>tumbling window sizes; each gives its own snapshots</td></tr>
 *   <tr><td>{@value #WINDOW_GRACE_MS}</td><td>5000</td><td>how late (in event time) a record still counts</td></tr>
 *   <tr><td>{@value #EARLY_UPDATE_MS}</td><td>1000</td><td>stream time between early (final = false) updates
 *       of an open window; 0 turns them off</td></tr>
 *   <tr><td>{@value #QUALITY_JOIN_WINDOW_MS}</td><td>3600000</td><td>how far apart a result and its feedback may be</td></tr>
 *   <tr><td>{@value #ALERT_WINDOW_MS}</td><td>the smallest size</td><td>the window size whose final snapshots the alert rules judge</td></tr>
 *   <tr><td>{@value #ALERT_BASELINE_WINDOWS}</td><td>6</td><td>see {@link AlertRules}</td></tr>
 *   <tr><td>{@value #ALERT_SPIKE_FACTOR}</td><td>3.0</td><td></td></tr>
 *   <tr><td>{@value #ALERT_DROP_FACTOR}</td><td>3.0</td><td></td></tr>
 *   <tr><td>{@value #ALERT_MIN_REQUESTS}</td><td>20</td><td></td></tr>
 *   <tr><td>{@value #ALERT_ERROR_RATE}</td><td>0.05</td><td></td></tr>
 *   <tr><td>{@value #ALERT_LATENCY_FACTOR}</td><td>1.5</td><td></td></tr>
 *   <tr><td>{@value #HTTP_PORT}</td><td>8092</td><td>port of /metrics and /health/*; 0 picks a free one</td></tr>
 *   <tr><td>{@value #SHUTDOWN_TIMEOUT_MS}</td><td>30000</td><td>bound on closing the Streams client</td></tr>
 *   <tr><td>{@value #THREAD_REPLACEMENTS_MAX}, {@value #THREAD_REPLACEMENTS_WINDOW_MS}</td><td>5, 600000</td><td>thread replacements</td></tr>
 * </table>
 *
 * <p>Any other key passes through to Kafka Streams (e.g. {@code commit.interval.ms}, TLS, SASL);
 * unknown {@code monitor.*} keys are reported.
 *
 * @param applicationId the Streams application id
 * @param bootstrapServers the Kafka bootstrap servers
 * @param registry the schema-registry client settings
 * @param topics the topic names
 * @param stateDir the state directory, or null for Kafka's default
 * @param windows the window sizes and grace
 * @param earlyUpdate stream time between early updates; zero turns them off
 * @param qualityJoinWindow how far apart a result and its feedback may be
 * @param alertRules the anomaly rules, judged on {@link WindowSpec#alertWindow()}
 * @param httpPort port of the metrics and health endpoints
 * @param shutdownTimeout bound on closing the client
 * @param threadReplacements how many transient failures are survived, and within which window
 * @param properties every key given, for pass-through to Kafka Streams
 */
public record MonitorConfig(
    String applicationId,
    String bootstrapServers,
    SchemaRegistryClientConfig registry,
    PipelineTopics topics,
    String stateDir,
    WindowSpec windows,
    Duration earlyUpdate,
    Duration qualityJoinWindow,
    AlertRules alertRules,
    int httpPort,
    Duration shutdownTimeout,
    ReplacementBudget threadReplacements,
    Map<String, String> properties) {

  /** Window sizes in milliseconds, comma separated. */
  public static final String WINDOW_SIZES_MS = "monitor.window.sizes.ms";
  /** Grace period in milliseconds. */
  public static final String WINDOW_GRACE_MS = "monitor.window.grace.ms";
  /** Early-update interval in milliseconds of stream time. */
  public static final String EARLY_UPDATE_MS = "monitor.early.update.interval.ms";
  /** Result–feedback join window in milliseconds. */
  public static final String QUALITY_JOIN_WINDOW_MS = "monitor.quality.join.window.ms";
  /** The window size the alert rules judge. */
  public static final String ALERT_WINDOW_MS = "monitor.alert.window.ms";
  /** Windows in the throughput baseline. */
  public static final String ALERT_BASELINE_WINDOWS = "monitor.alert.baseline.windows";
  /** Spike factor. */
  public static final String ALERT_SPIKE_FACTOR = "monitor.alert.throughput.spike.factor";
  /** Drop factor. */
  public static final String ALERT_DROP_FACTOR = "monitor.alert.throughput.drop.factor";
  /** Least traffic judged. */
  public static final String ALERT_MIN_REQUESTS = "monitor.alert.min.requests";
  /** Error-rate threshold. */
  public static final String ALERT_ERROR_RATE = "monitor.alert.error.rate.threshold";
  /** Latency regression factor. */
  public static final String ALERT_LATENCY_FACTOR = "monitor.alert.latency.regression.factor";
  /** HTTP port. */
  public static final String HTTP_PORT = "monitor.http.port";
  /** Close bound in milliseconds. */
  public static final String SHUTDOWN_TIMEOUT_MS = "monitor.shutdown.timeout.ms";
  /** Thread replacements allowed within the window. */
  public static final String THREAD_REPLACEMENTS_MAX = "monitor.thread.replacements.max";
  /** The replacement window in milliseconds. */
  public static final String THREAD_REPLACEMENTS_WINDOW_MS = "monitor.thread.replacements.window.ms";
  /** The default application id. */
  public static final String DEFAULT_APPLICATION_ID = "sluice-monitor";

  /** Checks the parts are present and freezes the property map. */
  public MonitorConfig {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(windows, "windows");
    Objects.requireNonNull(earlyUpdate, "earlyUpdate");
    Objects.requireNonNull(qualityJoinWindow, "qualityJoinWindow");
    Objects.requireNonNull(alertRules, "alertRules");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(threadReplacements, "threadReplacements");
    properties = Map.copyOf(properties);
  }

  /**
   * Parses a property map.
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem, one per line
   */
  public static MonitorConfig parse(Map<String, String> properties) {
    return new MonitorConfigReader(properties).read();
  }

  /** Whether early (final = false) updates are produced. */
  public boolean earlyUpdates() {
    return !earlyUpdate.isZero();
  }

  /**
   * The Kafka Streams properties: every pass-through key, then the monitor's own settings, with
   * {@link StreamsAppSettings#putFixedSettings} (exactly-once, the ingress's
   * {@link DeserializationFailureHandler}: undecodable input is skipped with a WARN; partition time
   * for records without a valid timestamp) always, and the main consumer's
   * {@code fetch.max.wait.ms} at 100 unless set.
   */
  public Properties streamsProperties() {
    Properties streams = new Properties();
    properties.forEach((key, value) -> {
      if (MonitorConfigReader.passesThrough(key)) {
        streams.put(key, value);
      }
    });
    StreamsAppSettings.putFixedSettings(streams, applicationId, bootstrapServers, stateDir);
    // A window's final follows its last tick through one repartition hop: an idle fetch must not
    // hold it for the consumer's default half second.
    StreamsAppSettings.putMainConsumerDefault(streams, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    // Window changelogs keep their windows' retention plus this: an hour, not Kafka's day, bounds
    // what the in-memory quality stores replay at start.
    streams.putIfAbsent("windowstore.changelog.additional.retention.ms", Long.toString(Duration.ofHours(1).toMillis()));
    return streams;
  }

  /**
   * The window sizes, the grace period and the size the alert rules judge.
   *
   * @param sizes tumbling window sizes, ascending, distinct
   * @param grace how late a record still counts
   * @param alertWindow one of the sizes
   */
  public record WindowSpec(List<Duration> sizes, Duration grace, Duration alertWindow) {
    /** Checks the alert window is one of the sizes. */
    public WindowSpec {
      sizes = List.copyOf(sizes);
      if (sizes.isEmpty() || !sizes.contains(alertWindow) || grace.isNegative()) {
        throw new IllegalArgumentException("Invalid windows " + sizes + ", grace " + grace + ", alert window " + alertWindow);
      }
    }
  }
}
