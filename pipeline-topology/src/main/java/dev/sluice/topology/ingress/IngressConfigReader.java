package dev.sluice.topology.ingress;

import dev.sluice.preprocessing.IngressDefaults;
import dev.sluice.preprocessing.TimestampRange;
import dev.sluice.preprocessing.RateLimit;
import dev.sluice.preprocessing.RateLimits;
import dev.sluice.preprocessing.Scaling;
import dev.sluice.preprocessing.UnknownFeaturePolicy;
import dev.sluice.schemas.config.ConfigReader;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.app.StreamsAppSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;

/** Reads an {@link IngressConfig} out of a property map, collecting every problem. */
final class IngressConfigReader {
  private static final Set<String> INGRESS_KEYS = Set.of(
      IngressConfig.REQUEST_PARTITIONS, IngressConfig.DEDUP_TTL_MS, IngressConfig.CACHE_TTL_MS, IngressConfig.CACHE_MAX_ENTRIES,
      IngressConfig.RATE_PER_SECOND, IngressConfig.RATE_BURST, IngressConfig.HTTP_PORT, IngressConfig.SHUTDOWN_TIMEOUT_MS,
      IngressConfig.THREAD_REPLACEMENTS_MAX, IngressConfig.THREAD_REPLACEMENTS_WINDOW_MS,
      IngressDefaults.MAX_TEXT_CHARS_CONFIG, IngressDefaults.MAX_PAYLOAD_BYTES_CONFIG, IngressDefaults.LOWERCASE_CONFIG,
      IngressDefaults.SCALING_CONFIG, IngressDefaults.UNKNOWN_FEATURES_CONFIG, TimestampRange.HORIZON_CONFIG);
  /** Keys earlier versions read, with what became of them. */
  private static final Map<String, String> RETIRED_KEYS = Map.of(
      "ingress.partitions", "no longer used: the ingress has no repartition topics; rate limits are divided by "
          + IngressConfig.REQUEST_PARTITIONS);
  private static final String PER_SECOND = ".per.second";
  private static final String BURST = ".burst";

  private final Map<String, String> properties;
  private final ConfigReader reader;

  IngressConfigReader(Map<String, String> properties) {
    this.properties = Map.copyOf(properties);
    this.reader = new ConfigReader(this.properties);
  }

  /** Whether a key goes on to Kafka Streams: everything but the ingress's and the registry's own. */
  static boolean passesThrough(String key) {
    return StreamsAppSettings.passesThrough(key, "ingress.");
  }

  IngressConfig read() {
    StreamsAppSettings common = StreamsAppSettings.read(reader, IngressConfig.DEFAULT_APPLICATION_ID,
        "dedup, rate limits and the result cache rely on it");
    String applicationId = common.applicationId();
    String bootstrap = common.bootstrapServers();
    SchemaRegistryClientConfig registry = common.registry();
    PipelineTopics topics = common.topics();
    String stateDir = common.stateDir();
    int standbys = reader.intAtLeast(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0, 0);
    int threads = reader.intAtLeast(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1, 1);
    OptionalInt requestPartitions = reader.has(IngressConfig.REQUEST_PARTITIONS)
        ? OptionalInt.of(reader.intAtLeast(IngressConfig.REQUEST_PARTITIONS, 1, 1)) : OptionalInt.empty();
    Duration dedupTtl = Duration.ofMillis(reader.longAtLeast(IngressConfig.DEDUP_TTL_MS, 600_000, 1));
    Duration cacheTtl = Duration.ofMillis(reader.longAtLeast(IngressConfig.CACHE_TTL_MS, 300_000, 0));
    int cacheMaxEntries = reader.intAtLeast(IngressConfig.CACHE_MAX_ENTRIES, 100_000, 1);
    RateLimits rateLimits = rateLimits();
    IngressDefaults defaults = defaults();
    TimestampRange timestamps = new TimestampRange(Duration.ofMillis(
        reader.longAtLeast(TimestampRange.HORIZON_CONFIG, TimestampRange.DEFAULT_HORIZON.toMillis(), 1)));
    int httpPort = reader.intAtLeast(IngressConfig.HTTP_PORT, 8090, 0);
    if (httpPort > 65_535) {
      reader.invalid(IngressConfig.HTTP_PORT, httpPort, "must be <= 65535");
    }
    Duration shutdown = Duration.ofMillis(reader.longAtLeast(IngressConfig.SHUTDOWN_TIMEOUT_MS, 30_000, 0));
    ReplacementBudget budget = new ReplacementBudget(reader.intAtLeast(IngressConfig.THREAD_REPLACEMENTS_MAX, 5, 0),
        Duration.ofMillis(reader.longAtLeast(IngressConfig.THREAD_REPLACEMENTS_WINDOW_MS, 600_000, 1)));
    reportUnknownIngressKeys();
    reader.throwIfInvalid();
    return new IngressConfig(applicationId, bootstrap, registry, topics, stateDir, standbys, threads, requestPartitions, dedupTtl,
        cacheTtl, cacheMaxEntries, rateLimits, defaults, timestamps, httpPort, shutdown, budget, properties);
  }

  private IngressDefaults defaults() {
    IngressDefaults fallback = IngressDefaults.defaults();
    return new IngressDefaults(
        reader.intAtLeast(IngressDefaults.MAX_TEXT_CHARS_CONFIG, fallback.maxTextChars(), 1),
        reader.intAtLeast(IngressDefaults.MAX_PAYLOAD_BYTES_CONFIG, fallback.maxPayloadBytes(), 1),
        reader.bool(IngressDefaults.LOWERCASE_CONFIG, fallback.lowercase()),
        choice(IngressDefaults.SCALING_CONFIG, Scaling.class, fallback.scaling()),
        choice(IngressDefaults.UNKNOWN_FEATURES_CONFIG, UnknownFeaturePolicy.class, fallback.unknownFeatures()));
  }

  private RateLimits rateLimits() {
    double rate = decimalAtLeast(IngressConfig.RATE_PER_SECOND, 0.0, 0.0);
    RateLimit defaultLimit = limit(rate, IngressConfig.RATE_BURST);
    Map<String, RateLimit> perTenant = new LinkedHashMap<>();
    for (String tenant : tenantsNamed()) {
      String base = IngressConfig.RATE_TENANT_PREFIX + tenant;
      double tenantRate = decimalAtLeast(base + PER_SECOND, rate, 0.0);
      perTenant.put(tenant, limit(tenantRate, base + BURST));
    }
    return new RateLimits(defaultLimit, perTenant);
  }

  private RateLimit limit(double rate, String burstKey) {
    if (rate <= 0.0) {
      return RateLimit.unlimited();
    }
    return new RateLimit(rate, decimalAtLeast(burstKey, Math.max(1.0, rate), 1.0));
  }

  private Set<String> tenantsNamed() {
    Set<String> tenants = new TreeSet<>();
    for (String key : properties.keySet()) {
      if (!key.startsWith(IngressConfig.RATE_TENANT_PREFIX)) {
        continue;
      }
      String rest = key.substring(IngressConfig.RATE_TENANT_PREFIX.length());
      String suffix = rest.endsWith(PER_SECOND) ? PER_SECOND : rest.endsWith(BURST) ? BURST : null;
      String tenant = suffix == null ? "" : rest.substring(0, rest.length() - suffix.length());
      if (tenant.isEmpty()) {
        reader.invalid(key, properties.get(key), "expected " + IngressConfig.RATE_TENANT_PREFIX + "<tenant>" + PER_SECOND
            + " or " + IngressConfig.RATE_TENANT_PREFIX + "<tenant>" + BURST);
      } else {
        tenants.add(tenant);
      }
    }
    return tenants;
  }

  private double decimalAtLeast(String key, double defaultValue, double min) {
    String text = reader.string(key).orElse(null);
    if (text == null) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      reader.invalid(key, text, "Not a number of type DOUBLE");
      return defaultValue;
    }
    if (!Double.isFinite(value) || value < min) {
      reader.invalid(key, text, "must be a finite number >= " + min);
      return defaultValue;
    }
    return value;
  }

  private <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    String text = reader.string(key).orElse(null);
    if (text == null) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
      reader.invalid(key, text, "must be one of " + names);
      return defaultValue;
    }
  }

  private void reportUnknownIngressKeys() {
    new TreeSet<>(properties.keySet()).stream()
        .filter(key -> key.startsWith("ingress.") && !INGRESS_KEYS.contains(key) && !key.startsWith(IngressConfig.RATE_TENANT_PREFIX))
        .forEach(key -> reader.invalid(key, properties.get(key), RETIRED_KEYS.getOrDefault(key, "unknown ingress configuration")));
  }
}
