package dev.sluice.worker;

import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.worker.flush.FlushPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The inference worker's configuration: one immutable record, parsed from a property map (a
 * properties file merged with the environment by {@link dev.sluice.worker.config.ConfigSources},
 * component {@code worker}) with every problem reported at once in Kafka's words
 * ({@code Invalid value 0 for configuration worker.flush.max.records: must be >= 1}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code bootstrap.servers}</td><td>(required)</td><td>Kafka cluster</td></tr>
 *   <tr><td>{@code schema.registry.url}</td><td>(required)</td><td>registry; the other
 *       {@link SchemaRegistryClientConfig} keys (auth, TLS, retries) apply too</td></tr>
 *   <tr><td>{@code topic.prefix}</td><td>sluice</td><td>topic-name prefix</td></tr>
 *   <tr><td>{@value #MODEL}</td><td>(required)</td><td>the model served: the worker reads
 *       {@code <prefix>.inference.<model>} and loads every deployed version of it</td></tr>
 *   <tr><td>{@value #ID}</td><td>hostname-pid</td><td>worker id, in results and client ids; the
 *       transactional id is {@code <group id>-<worker id>}, so give a restarted worker the same id
 *       (a StatefulSet pod name) and it fences its zombie and aborts its open transaction at once.
 *       A worker id that is set is also the consumer's static member id ({@code group.instance.id}):
 *       a worker back under it within its session keeps its partitions without a rebalance</td></tr>
 *   <tr><td>{@value #GROUP_ID}</td><td>sluice-worker-&lt;model&gt;</td><td>consumer group</td></tr>
 *   <tr><td>{@value #FLUSH_MAX_RECORDS}</td><td>128</td><td>waiting requests that make a flush due at
 *       once; also the most requests in one batch handed to a model version (the runtime runs a batch
 *       in model calls of at most {@code worker.model.sub.batch.size} rows). Formerly
 *       {@value #BATCH_MAX_SIZE}, still read (with a warning) when the new key is not set</td></tr>
 *   <tr><td>{@value #BATCH_MAX_DELAY_MS}</td><td>10</td><td>longest wait of the oldest request for company
 *       before a flush</td></tr>
 *   <tr><td>{@value #BATCH_BUCKETING}</td><td>true</td><td>sort by input length before cutting a flush into
 *       batches</td></tr>
 *   <tr><td>{@value #LATENCY_TARGET_MS}</td><td>(none)</td><td>time a request may spend in the worker,
 *       consumed to committed; when set, each flush's delay and size are chosen online to hold it
 *       ({@link dev.sluice.worker.flush.LatencyTargetPlanner}), with the two keys above as bounds;
 *       unset, flushes follow those two keys alone</td></tr>
 *   <tr><td>{@value #INFLIGHT_MAX}</td><td>4 &times; {@value #FLUSH_MAX_RECORDS}</td><td>consumed requests held at
 *       most; partitions pause at this bound and resume below it; also the default
 *       {@code max.poll.records}</td></tr>
 *   <tr><td>{@value #HTTP_PORT}</td><td>8091</td><td>port of /metrics and /health/*; 0 picks a free one</td></tr>
 *   <tr><td>{@value #WAIT_FOR_MODEL}</td><td>false</td><td>when the model registry, read at start, has no version
 *       of the model: wait for one (true) or exit 1 saying so (false)</td></tr>
 *   <tr><td>{@value #SHUTDOWN_TIMEOUT_MS}</td><td>30000</td><td>bound on a graceful stop</td></tr>
 *   <tr><td>{@value #TRANSACTION_TIMEOUT_MS}</td><td>5000</td><td>the producer's {@code transaction.timeout.ms}: how
 *       long a killed worker's open transaction can hold back the next owner of its partitions (a transaction
 *       is open only while a flush's outputs are sent and committed)</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MS}, {@value #RETRY_BACKOFF_MAX_MS}</td><td>100, 5000</td><td>backoff
 *       between attempts after transient Kafka or registry failures, doubled per attempt</td></tr>
 *   <tr><td>{@value #RETRY_MAX_ATTEMPTS}</td><td>10</td><td>attempts before the worker stops loudly</td></tr>
 * </table>
 *
 * <p>Failover: the inference consumer runs with {@code session.timeout.ms=6000} and
 * {@code heartbeat.interval.ms=2000} (a killed worker's partitions move after about 8 s instead of
 * Kafka's 45) and the cooperative sticky assignor (a
 * rebalance takes away only the partitions that move, so the other workers keep answering
 * through it); {@code consumer.<key>} overrides either.
 *
 * <p>{@code security.protocol}, {@code ssl.*} and {@code sasl.*} go to every Kafka client;
 * {@code consumer.<key>} and {@code producer.<key>} to one of them (e.g.
 * {@code consumer.max.poll.records}), except the keys exactly-once depends on, which are
 * reported as invalid. The model runtime reads its own {@code worker.model.*} keys (device,
 * predictors, ...) and reports their problems itself. Other unknown {@code worker.*} keys are
 * reported, since they are typos; keys outside {@code worker.*} are ignored.
 *
 * @param bootstrapServers the Kafka bootstrap servers
 * @param registry the schema-registry client settings
 * @param topics the topic names
 * @param model the model served
 * @param workerId the worker id
 * @param groupId the consumer group id
 * @param flushPolicy when waiting requests are flushed and how a flush is cut into batches
 * @param inflightMax requests held before partitions pause
 * @param httpPort port of the metrics and health endpoints
 * @param shutdownTimeout bound on a graceful stop
 * @param transactionTimeout the producer's transaction timeout
 * @param retry retries of transient failures
 * @param properties every key given, for the pass-through keys
 */
public record WorkerConfig(
    String bootstrapServers,
    SchemaRegistryClientConfig registry,
    PipelineTopics topics,
    String model,
    String workerId,
    String groupId,
    FlushPolicy flushPolicy,
    int inflightMax,
    int httpPort,
    Duration shutdownTimeout,
    Duration transactionTimeout,
    RetryPolicy retry,
    Map<String, String> properties) {

  public static final String MODEL = "worker.model";
  public static final String ID = "worker.id";
  public static final String GROUP_ID = "worker.group.id";
  /** Waiting requests that make a flush due at once, and the most requests in one batch. */
  public static final String FLUSH_MAX_RECORDS = "worker.flush.max.records";
  /**
   * The former name of {@link #FLUSH_MAX_RECORDS}: still read, with a warning, when the new key is
   * not set; ignored, with a warning, when it is.
   */
  public static final String BATCH_MAX_SIZE = "worker.batch.max.size";
  public static final String BATCH_MAX_DELAY_MS = "worker.batch.max.delay.ms";
  public static final String BATCH_BUCKETING = "worker.batch.bucketing";
  /** The latency target per request in the worker, optional: see {@link dev.sluice.worker.flush.LatencyTargetPlanner}. */
  public static final String LATENCY_TARGET_MS = "worker.latency.target.ms";
  public static final String INFLIGHT_MAX = "worker.inflight.max";
  public static final String HTTP_PORT = "worker.http.port";
  /** Whether a worker whose model has no deployed version waits for one instead of exiting. */
  public static final String WAIT_FOR_MODEL = "worker.wait.for.model";
  public static final String SHUTDOWN_TIMEOUT_MS = "worker.shutdown.timeout.ms";
  public static final String TRANSACTION_TIMEOUT_MS = "worker.transaction.timeout.ms";
  public static final String RETRY_BACKOFF_MS = "worker.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "worker.retry.backoff.max.ms";
  public static final String RETRY_MAX_ATTEMPTS = "worker.retry.max.attempts";
  /**
   * The inference consumer's session timeout unless {@code consumer.session.timeout.ms} says
   * otherwise: the broker's default minimum, so a killed worker's partitions move within seconds.
   */
  public static final int SESSION_TIMEOUT_MS = 6_000;
  /** Its heartbeat interval: a third of the session, so a rebalance reaches every member within 2 s. */
  public static final int HEARTBEAT_INTERVAL_MS = 2_000;
  /** Prefix of keys for the inference consumer only. */
  public static final String CONSUMER_PREFIX = "consumer.";
  /** Prefix of keys for the transactional producer only. */
  public static final String PRODUCER_PREFIX = "producer.";

  /** Checks the parts are present and freezes the property map. */
  public WorkerConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(flushPolicy, "flushPolicy");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    Objects.requireNonNull(retry, "retry");
    properties = Map.copyOf(properties);
  }

  /**
   * Parses a property map; {@value #ID} defaults to this host's name and this process's id.
   *
   * @param properties keys and values, e.g. {@code ConfigSources.merge(file, System.getenv(), "worker")}
   * @return the configuration
   * @throws org.apache.kafka.common.config.ConfigException listing every problem, one per line
   */
  public static WorkerConfig parse(Map<String, String> properties) {
    return new WorkerConfigReader(properties, WorkerConfigReader::hostAndPid).read();
  }

  /** The topic this worker consumes. */
  public String inferenceTopic() {
    return topics.inference(model);
  }

  /**
   * The topics a worker reads: its model's prepared requests and the model registry. The Kafka
   * user of a worker needs read access to these and no others (deploy/ grants exactly these).
   */
  public List<String> topicsRead() {
    return List.of(inferenceTopic(), topics.models());
  }

  /** The topics a worker writes: results, shadow results, metric events, dead letters, reply copies and its load states. */
  public List<String> topicsWritten() {
    return List.of(topics.results(), topics.shadowResults(), topics.metricEvents(), topics.rejected(), topics.replies(),
        topics.modelStatus());
  }

  /** The producer's transactional id: stable for a stable worker id. */
  public String transactionalId() {
    return groupId + "-" + workerId;
  }

  /** Whether to wait for a first version of the model to be deployed rather than exit: {@value #WAIT_FOR_MODEL}. */
  public boolean waitForModel() {
    return Boolean.parseBoolean(properties.getOrDefault(WAIT_FOR_MODEL, "false").trim());
  }

  /** Properties of the inference consumer: read_committed, manual commits through the producer. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> props = clientProperties("consumer");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(inflightMax));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, String> own = prefixed(CONSUMER_PREFIX);
    // The new group protocol (group.protocol=consumer) keeps sessions and assignment on the
    // broker and refuses these keys; the classic one, Kafka's default, takes them from us.
    if (!"consumer".equalsIgnoreCase(own.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))) {
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
      props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(HEARTBEAT_INTERVAL_MS));
      props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    }
    if (properties.containsKey(ID)) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, workerId);
    }
    props.putAll(own);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return props;
  }

  /** Properties of the transactional producer. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> props = clientProperties("producer");
    props.putAll(prefixed(PRODUCER_PREFIX));
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
    return props;
  }

  /**
   * Properties of the load-state reporter: idempotent, not transactional (a state is reported
   * whether or not a flush commits), bounded waits so that a broker away never holds a load.
   */
  public Map<String, Object> statusProducerProperties() {
    Map<String, Object> props = clientProperties("status");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    return props;
  }

  /** Properties of the model-registry reader: no group, read from the beginning. */
  public Map<String, Object> registryReaderProperties() {
    Map<String, Object> props = clientProperties("registry");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  private Map<String, Object> clientProperties(String role) {
    Map<String, Object> props = new HashMap<>();
    properties.forEach((key, value) -> {
      if (WorkerConfigReader.goesToEveryClient(key)) {
        props.put(key, value);
      }
    });
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, workerId + "-" + role);
    return props;
  }

  private Map<String, String> prefixed(String prefix) {
    Map<String, String> props = new HashMap<>();
    properties.forEach((key, value) -> {
      if (key.startsWith(prefix) && key.length() > prefix.length()) {
        props.put(key.substring(prefix.length()), value);
      }
    });
    return props;
  }
}
