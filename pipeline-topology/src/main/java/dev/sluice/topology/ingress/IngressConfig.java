package dev.sluice.topology.ingress;

import dev.sluice.schemas.config.ConfigSources;
import dev.sluice.preprocessing.IngressDefaults;
import dev.sluice.preprocessing.TimestampRange;
import dev.sluice.preprocessing.RateLimits;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.app.StreamsAppSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The ingress application's configuration: one immutable record, parsed from a property map
 * (a properties file merged with the environment by {@link ConfigSources}) with every problem
 * reported at once in Kafka's words ({@code Invalid value 0 for configuration
 * ingress.request.partitions: must be >= 1}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code bootstrap.servers}</td><td>(required)</td><td>Kafka cluster</td></tr>
 *   <tr><td>{@code schema.registry.url}</td><td>(required)</td><td>registry; the other
 *       {@link SchemaRegistryClientConfig} keys (auth, TLS, retries) apply too</td></tr>
 *   <tr><td>{@code application.id}</td><td>sluice-ingress</td><td>Streams application id</td></tr>
 *   <tr><td>{@code topic.prefix}</td><td>sluice</td><td>topic-name prefix</td></tr>
 *   <tr><td>{@code state.dir}</td><td>Kafka's</td><td>local state directory</td></tr>
 *   <tr><td>{@code num.standby.replicas}</td><td>0</td><td>warm copies of the state stores</td></tr>
 *   <tr><td>{@code num.stream.threads}</td><td>1</td><td>stream threads</td></tr>
 *   <tr><td>{@code commit.interval.ms}</td><td>20</td><td>how often the exactly-once transaction
 *       commits (Kafka's default is 100 under exactly-once); a request waits for it</td></tr>
 *   <tr><td>{@code poll.ms}</td><td>10</td><td>longest poll between commit checks (Kafka's: 100)</td></tr>
 *   <tr><td>{@code processing.guarantee}</td><td>exactly_once_v2</td><td>nothing else is accepted</td></tr>
 *   <tr><td>{@value #REQUEST_PARTITIONS}</td><td>looked up</td><td>partitions of {@code <prefix>.requests}; each
 *       partition's task enforces 1/N of every tenant's rate limit. {@link IngressApp} looks it up from the
 *       cluster at start when unset; other callers of {@link IngressTopology#build} must set it</td></tr>
 *   <tr><td>{@value #DEDUP_TTL_MS}</td><td>600000</td><td>how long an idempotency key is remembered</td></tr>
 *   <tr><td>{@value #CACHE_TTL_MS}</td><td>300000</td><td>how long a result is served from the cache; 0 turns the cache off</td></tr>
 *   <tr><td>{@value #CACHE_MAX_ENTRIES}</td><td>100000</td><td>result-cache entries each ingress instance keeps
 *       in memory (LRU); the cache topic's retention bounds what is loaded at start</td></tr>
 *   <tr><td>{@value #RATE_PER_SECOND}</td><td>0 (unlimited)</td><td>default requests per second per tenant</td></tr>
 *   <tr><td>{@value #RATE_BURST}</td><td>max(1, rate)</td><td>default bucket size</td></tr>
 *   <tr><td>{@code ingress.rate.limit.tenant.<tenant>.per.second}, {@code ...burst}</td><td>the
 *       defaults</td><td>one tenant's limit</td></tr>
 *   <tr><td>{@code ingress.max.text.chars}, {@code ingress.max.payload.bytes},
 *       {@code ingress.text.lowercase}, {@code ingress.tabular.scaling},
 *       {@code ingress.tabular.unknown.features}</td><td>{@link IngressDefaults#defaults()}</td>
 *       <td>limits and normalization where a deployment sets none</td></tr>
 *   <tr><td>{@code ingress.timestamp.horizon.ms}</td><td>604800000 (7 days)</td><td>how far after now a
 *       request's {@code created_at} or {@code deadline} may lie; before 2000 or beyond it is INVALID_TIMESTAMP</td></tr>
 *   <tr><td>{@value #HTTP_PORT}</td><td>8090</td><td>port of /metrics and /health/*; 0 picks a free one</td></tr>
 *   <tr><td>{@value #SHUTDOWN_TIMEOUT_MS}</td><td>30000</td><td>bound on closing the Streams client</td></tr>
 *   <tr><td>{@value #THREAD_REPLACEMENTS_MAX}</td><td>5</td><td>stream threads replaced after
 *       transient failures within the window before the client shuts down</td></tr>
 *   <tr><td>{@value #THREAD_REPLACEMENTS_WINDOW_MS}</td><td>600000</td><td>that window</td></tr>
 * </table>
 *
 * <p>Any other key (TLS and SASL: {@code security.protocol}, {@code ssl.*}, {@code sasl.*};
 * client tuning) passes through to Kafka Streams and its clients. Unknown {@code ingress.*} keys
 * are reported, since they are typos, and so is {@code ingress.partitions}, which no longer means
 * anything since the ingress has no repartition topics.
 *
 * @param applicationId the Streams application id
 * @param bootstrapServers the Kafka bootstrap servers
 * @param registry the schema-registry client settings
 * @param topics the topic names
 * @param stateDir the state directory, or null for Kafka's default
 * @param numStandbyReplicas standby replicas of each state store
 * @param numStreamThreads stream threads
 * @param requestPartitions partitions of the request topic, when known
 * @param dedupTtl how long an idempotency key is remembered
 * @param cacheTtl how long a result is served from the cache; zero turns the cache off
 * @param cacheMaxEntries LRU bound of the result cache, per ingress instance
 * @param rateLimits rate limits per tenant
 * @param defaults global limits and normalization settings
 * @param timestamps the instants a request's {@code created_at} and {@code deadline} may take
 * @param httpPort port of the metrics and health endpoints
 * @param shutdownTimeout bound on closing the client
 * @param threadReplacements how many transient failures are survived, and within which window
 * @param properties every key given, for pass-through to Kafka Streams
 */
public record IngressConfig(
    String applicationId,
    String bootstrapServers,
    SchemaRegistryClientConfig registry,
    PipelineTopics topics,
    String stateDir,
    int numStandbyReplicas,
    int numStreamThreads,
    OptionalInt requestPartitions,
    Duration dedupTtl,
    Duration cacheTtl,
    int cacheMaxEntries,
    RateLimits rateLimits,
    IngressDefaults defaults,
    TimestampRange timestamps,
    int httpPort,
    Duration shutdownTimeout,
    ReplacementBudget threadReplacements,
    Map<String, String> properties) {

  /** Partitions of the request topic, which the per-partition rate limits divide by. */
  public static final String REQUEST_PARTITIONS = "ingress.request.partitions";
  /** Dedup TTL in milliseconds. */
  public static final String DEDUP_TTL_MS = "ingress.dedup.ttl.ms";
  /** Result-cache TTL in milliseconds. */
  public static final String CACHE_TTL_MS = "ingress.cache.ttl.ms";
  /** Result-cache size bound. */
  public static final String CACHE_MAX_ENTRIES = "ingress.cache.max.entries";
  /** Default rate per tenant. */
  public static final String RATE_PER_SECOND = "ingress.rate.limit.per.second";
  /** Default burst per tenant. */
  public static final String RATE_BURST = "ingress.rate.limit.burst";
  /** Prefix of per-tenant rate-limit keys. */
  public static final String RATE_TENANT_PREFIX = "ingress.rate.limit.tenant.";
  /** HTTP port. */
  public static final String HTTP_PORT = "ingress.http.port";
  /** Close bound in milliseconds. */
  public static final String SHUTDOWN_TIMEOUT_MS = "ingress.shutdown.timeout.ms";
  /** Thread replacements allowed within the window. */
  public static final String THREAD_REPLACEMENTS_MAX = "ingress.thread.replacements.max";
  /** The replacement window in milliseconds. */
  public static final String THREAD_REPLACEMENTS_WINDOW_MS = "ingress.thread.replacements.window.ms";
  /** Default of {@code commit.interval.ms}: a request waits for the commit that publishes it. */
  static final int COMMIT_INTERVAL_MS = 20;
  /** Default of {@code poll.ms}: the stream thread checks whether a commit is due at least this often. */
  static final int POLL_MS = 10;
  /** The default application id. */
  public static final String DEFAULT_APPLICATION_ID = "sluice-ingress";

  /** Checks the parts are present and freezes the property map. */
  public IngressConfig {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(dedupTtl, "dedupTtl");
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(timestamps, "timestamps");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(threadReplacements, "threadReplacements");
    Objects.requireNonNull(requestPartitions, "requestPartitions");
    if (requestPartitions.isPresent() && requestPartitions.getAsInt() < 1) {
      throw new IllegalArgumentException("Invalid value " + requestPartitions.getAsInt() + " for configuration "
          + REQUEST_PARTITIONS + ": must be >= 1");
    }
    properties = Map.copyOf(properties);
  }

  /**
   * Parses a property map.
   *
   * @param properties keys and values, e.g. {@code ConfigSources.merge(file, System.getenv())}
   * @return the configuration
   * @throws org.apache.kafka.common.config.ConfigException listing every problem, one per line
   */
  public static IngressConfig parse(Map<String, String> properties) {
    return new IngressConfigReader(properties).read();
  }

  /**
   * The Kafka Streams properties: every pass-through key, then the ingress's own settings, with
   * {@link StreamsAppSettings#putFixedSettings} (exactly-once, {@link DeserializationFailureHandler},
   * partition time for records without a valid timestamp) always, {@code max.task.idle.ms=-1}
   * unless set (and
   * the default fail-on-error processing handler for the global registry thread too, as Kafka 5.0
   * will have it).
   */
  public Properties streamsProperties() {
    Properties streams = new Properties();
    properties.forEach((key, value) -> {
      if (IngressConfigReader.passesThrough(key)) {
        streams.put(key, value);
      }
    });
    StreamsAppSettings.putFixedSettings(streams, applicationId, bootstrapServers, stateDir);
    streams.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(numStandbyReplicas));
    streams.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(numStreamThreads));
    streams.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    // A task reads sluice.requests and sluice.requests.rerouted; nothing depends on their relative
    // order, so it never waits for one of them to be fetched before processing the other.
    streams.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
    // A prepared request is visible to the workers only once the transaction that wrote it commits.
    // Kafka Streams commits every 100 ms under exactly-once and checks between polls of up to 100
    // ms, so a lone request waited 0-200 ms here; committing every 20 ms and polling at most 10 ms
    // between checks bounds that wait at about 30 ms, for at most 50 transactions a second.
    streams.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(COMMIT_INTERVAL_MS));
    streams.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, Integer.toString(POLL_MS));
    return streams;
  }

  /** How often the exactly-once transaction commits ({@code commit.interval.ms}). */
  public Duration commitInterval() {
    return Duration.ofMillis(Long.parseLong(streamsProperties().getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG).trim()));
  }

  /**
   * The partitions of the request topic.
   *
   * @throws IllegalArgumentException when they are not known: neither configured nor looked up
   */
  public int requiredRequestPartitions() {
    if (requestPartitions.isEmpty()) {
      throw new IllegalArgumentException("The partition count of " + topics.requests() + " is not known: set "
          + REQUEST_PARTITIONS + ", or let IngressApp look it up from the cluster");
    }
    return requestPartitions.getAsInt();
  }

  /**
   * This configuration with the partition count of the request topic, as looked up at start.
   *
   * @param partitions the partition count, at least 1
   * @return the new configuration
   */
  public IngressConfig withRequestPartitions(int partitions) {
    return new IngressConfig(applicationId, bootstrapServers, registry, topics, stateDir, numStandbyReplicas, numStreamThreads,
        OptionalInt.of(partitions), dedupTtl, cacheTtl, cacheMaxEntries, rateLimits, defaults, timestamps, httpPort,
        shutdownTimeout, threadReplacements, properties);
  }

  /** Whether the result cache is on (a positive {@link #cacheTtl}). */
  public boolean cacheEnabled() {
    return !cacheTtl.isZero();
  }
}
