package dev.sluice.worker;

import dev.sluice.schemas.config.ConfigReader;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.worker.flush.FlushPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a {@link WorkerConfig} out of a property map, collecting every problem. */
final class WorkerConfigReader {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerConfigReader.class);
  private static final Set<String> WORKER_KEYS = Set.of(
      WorkerConfig.MODEL, WorkerConfig.ID, WorkerConfig.GROUP_ID, WorkerConfig.FLUSH_MAX_RECORDS, WorkerConfig.BATCH_MAX_SIZE,
      WorkerConfig.BATCH_MAX_DELAY_MS, WorkerConfig.LATENCY_TARGET_MS,
      WorkerConfig.BATCH_BUCKETING, WorkerConfig.INFLIGHT_MAX, WorkerConfig.HTTP_PORT, WorkerConfig.WAIT_FOR_MODEL, WorkerConfig.SHUTDOWN_TIMEOUT_MS,
      WorkerConfig.TRANSACTION_TIMEOUT_MS, WorkerConfig.RETRY_BACKOFF_MS, WorkerConfig.RETRY_BACKOFF_MAX_MS, WorkerConfig.RETRY_MAX_ATTEMPTS);
  /** Consumer keys exactly-once and the worker's own wiring depend on. */
  private static final Set<String> FIXED_CONSUMER_KEYS = Set.of(
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
  /** Producer keys exactly-once and the worker's own wiring depend on. */
  private static final Set<String> FIXED_PRODUCER_KEYS = Set.of(
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
      ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
  /** Keys of the model runtime ({@code dev.sluice.worker.runtime.RuntimeConfig}), which checks them itself. */
  static final String MODEL_RUNTIME_PREFIX = "worker.model.";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final String TOPIC_PREFIX = "topic.prefix";
  private static final int DEFAULT_FLUSH_MAX_RECORDS = 128;
  private static final int INFLIGHT_FLUSHES = 4;

  private final Map<String, String> properties;
  private final ConfigReader reader;
  private final Supplier<String> defaultWorkerId;

  WorkerConfigReader(Map<String, String> properties, Supplier<String> defaultWorkerId) {
    this.properties = Map.copyOf(properties);
    this.reader = new ConfigReader(this.properties);
    this.defaultWorkerId = defaultWorkerId;
  }

  /** Whether a key goes to every Kafka client the worker makes: TLS and SASL settings. */
  static boolean goesToEveryClient(String key) {
    return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("ssl.") || key.startsWith("sasl.");
  }

  /** {@code <hostname>-<pid>}, with characters other than letters, digits, '.', '_' and '-' replaced. */
  static String hostAndPid() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    }
    return host.replaceAll("[^a-zA-Z0-9._-]", "-") + "-" + ProcessHandle.current().pid();
  }

  WorkerConfig read() {
    String bootstrap = reader.string(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).orElse(null);
    if (bootstrap == null) {
      reader.missing(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }
    SchemaRegistryClientConfig registry = SchemaRegistryClientConfig.read(reader);
    PipelineTopics topics = topics();
    String model = name(WorkerConfig.MODEL, null);
    String workerId = name(WorkerConfig.ID, defaultWorkerId.get());
    String groupId = reader.string(WorkerConfig.GROUP_ID).orElse("sluice-worker-" + (model == null ? "" : model));
    String flushKey = flushMaxRecordsKey();
    int maxRecords = reader.intAtLeast(flushKey, DEFAULT_FLUSH_MAX_RECORDS, 1);
    long maxDelayMs = reader.longAtLeast(WorkerConfig.BATCH_MAX_DELAY_MS, 10, 0);
    boolean bucketing = reader.bool(WorkerConfig.BATCH_BUCKETING, true);
    Optional<Duration> latencyTarget = reader.has(WorkerConfig.LATENCY_TARGET_MS)
        ? Optional.of(Duration.ofMillis(reader.longAtLeast(WorkerConfig.LATENCY_TARGET_MS, 1, 1))) : Optional.empty();
    int inflight = reader.intAtLeast(WorkerConfig.INFLIGHT_MAX, INFLIGHT_FLUSHES * maxRecords, 1);
    if (inflight < maxRecords) {
      reader.invalid(WorkerConfig.INFLIGHT_MAX, inflight, "must be >= " + flushKey + " (" + maxRecords + ")");
      inflight = maxRecords;
    }
    int httpPort = reader.intAtLeast(WorkerConfig.HTTP_PORT, 8091, 0);
    if (httpPort > 65_535) {
      reader.invalid(WorkerConfig.HTTP_PORT, httpPort, "must be <= 65535");
    }
    reader.bool(WorkerConfig.WAIT_FOR_MODEL, false);
    Duration shutdown = Duration.ofMillis(reader.longAtLeast(WorkerConfig.SHUTDOWN_TIMEOUT_MS, 30_000, 0));
    Duration transaction = Duration.ofMillis(reader.longAtLeast(WorkerConfig.TRANSACTION_TIMEOUT_MS, 5_000, 1_000));
    RetryPolicy retry = retry();
    reportFixedClientKeys();
    reportUnknownWorkerKeys();
    reader.throwIfInvalid();
    return new WorkerConfig(bootstrap, registry, topics, model, workerId, groupId,
        new FlushPolicy(maxRecords, Duration.ofMillis(maxDelayMs), bucketing, latencyTarget), inflight, httpPort, shutdown, transaction, retry, properties);
  }

  /**
   * The key the flush size is read from: {@value WorkerConfig#FLUSH_MAX_RECORDS}, or its former
   * name {@value WorkerConfig#BATCH_MAX_SIZE} when only that is set; either way a set former name
   * is warned about, naming the new key.
   */
  private String flushMaxRecordsKey() {
    if (!reader.has(WorkerConfig.BATCH_MAX_SIZE)) {
      return WorkerConfig.FLUSH_MAX_RECORDS;
    }
    if (reader.has(WorkerConfig.FLUSH_MAX_RECORDS)) {
      LOG.warn("{} is deprecated and ignored: {} is set too and wins", WorkerConfig.BATCH_MAX_SIZE, WorkerConfig.FLUSH_MAX_RECORDS);
      return WorkerConfig.FLUSH_MAX_RECORDS;
    }
    LOG.warn("{} is deprecated; use {} instead", WorkerConfig.BATCH_MAX_SIZE, WorkerConfig.FLUSH_MAX_RECORDS);
    return WorkerConfig.BATCH_MAX_SIZE;
  }

  private String name(String key, String defaultValue) {
    String value = reader.string(key).orElse(defaultValue);
    if (value == null) {
      reader.missing(key);
    } else if (!NAME.matcher(value).matches()) {
      reader.invalid(key, value, "must use only letters, digits, '.', '_' and '-'");
    }
    return value;
  }

  private PipelineTopics topics() {
    String prefix = reader.string(TOPIC_PREFIX).orElse(PipelineTopics.DEFAULT_PREFIX);
    try {
      return new PipelineTopics(prefix);
    } catch (IllegalArgumentException e) {
      reader.invalid(TOPIC_PREFIX, prefix, "must use only letters, digits, '.', '_' and '-'");
      return PipelineTopics.defaults();
    }
  }

  private RetryPolicy retry() {
    long backoff = reader.longAtLeast(WorkerConfig.RETRY_BACKOFF_MS, 100, 0);
    long maxBackoff = reader.longAtLeast(WorkerConfig.RETRY_BACKOFF_MAX_MS, Math.max(5_000, backoff), 0);
    if (maxBackoff < backoff) {
      reader.invalid(WorkerConfig.RETRY_BACKOFF_MAX_MS, maxBackoff, "must be >= " + WorkerConfig.RETRY_BACKOFF_MS + " (" + backoff + ")");
      maxBackoff = backoff;
    }
    int attempts = reader.intAtLeast(WorkerConfig.RETRY_MAX_ATTEMPTS, 10, 1);
    return new RetryPolicy(Duration.ofMillis(backoff), Duration.ofMillis(maxBackoff), attempts);
  }

  private void reportFixedClientKeys() {
    for (String key : new TreeSet<>(properties.keySet())) {
      if (key.startsWith(WorkerConfig.CONSUMER_PREFIX) && FIXED_CONSUMER_KEYS.contains(key.substring(WorkerConfig.CONSUMER_PREFIX.length()))) {
        reader.invalid(key, properties.get(key), "set by the worker itself (exactly-once relies on it)");
      }
      if (key.startsWith(WorkerConfig.PRODUCER_PREFIX) && FIXED_PRODUCER_KEYS.contains(key.substring(WorkerConfig.PRODUCER_PREFIX.length()))) {
        reader.invalid(key, properties.get(key), "set by the worker itself (exactly-once relies on it)");
      }
    }
  }

  private void reportUnknownWorkerKeys() {
    new TreeSet<>(properties.keySet()).stream()
        .filter(key -> key.startsWith("worker.") && !WORKER_KEYS.contains(key) && !key.startsWith(MODEL_RUNTIME_PREFIX))
        .forEach(key -> reader.invalid(key, properties.get(key), "unknown worker configuration"));
  }
}
