package dev.sluice.local.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * Settings of the local, in-process Kafka broker (KRaft, combined broker and controller).
 *
 * <p>Every problem is collected and reported at once in Kafka's shape, see {@link
 * LocalKafkaConfigException}. Start from {@link #defaults(Path)} or {@link #ephemeral(Path)} and
 * adjust with the {@code with...} methods, or parse with {@link #fromProperties(Map)}.
 *
 * @param dataDirectory where the broker keeps its data; the Kafka log and metadata directory is
 *     {@link #logDirectory()} below it (setting {@value #DATA_DIR})
 * @param host host name the broker binds to and advertises (setting {@value #HOST})
 * @param brokerPort client port; 0 picks a free port at start (setting {@value #BROKER_PORT})
 * @param controllerPort KRaft controller port; 0 picks a free port at start (setting {@value
 *     #CONTROLLER_PORT})
 * @param nodeId the node id, stored with the data (setting {@value #NODE_ID})
 * @param clusterId the cluster id to format new storage with; empty generates one on first start.
 *     Either way the id is persisted with the data and reused afterwards (setting {@value
 *     #CLUSTER_ID})
 * @param startupTimeout how long {@link LocalKafkaBroker#start} waits for the broker to be ready
 *     (setting {@value #STARTUP_TIMEOUT_MS})
 * @param brokerProperties extra Kafka broker properties that override the local defaults (settings
 *     prefixed {@value #BROKER_PROPERTY_PREFIX}); the listener, role, node and directory settings
 *     are managed here and cannot be overridden
 */
public record LocalKafkaConfig(
    Path dataDirectory,
    String host,
    int brokerPort,
    int controllerPort,
    int nodeId,
    Optional<String> clusterId,
    Duration startupTimeout,
    Map<String, String> brokerProperties) {

  /** Setting name of {@link #dataDirectory()}. */
  public static final String DATA_DIR = "data.dir";
  /** Setting name of {@link #host()}. */
  public static final String HOST = "host";
  /** Setting name of {@link #brokerPort()}. */
  public static final String BROKER_PORT = "broker.port";
  /** Setting name of {@link #controllerPort()}. */
  public static final String CONTROLLER_PORT = "controller.port";
  /** Setting name of {@link #nodeId()}. */
  public static final String NODE_ID = "node.id";
  /** Setting name of {@link #clusterId()}. */
  public static final String CLUSTER_ID = "cluster.id";
  /** Setting name of {@link #startupTimeout()}, in milliseconds. */
  public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
  /** Prefix of settings passed on to Kafka as {@link #brokerProperties()}. */
  public static final String BROKER_PROPERTY_PREFIX = "kafka.";

  /** Kafka's well-known client port. */
  public static final int DEFAULT_BROKER_PORT = 9092;
  /** Default host. */
  public static final String DEFAULT_HOST = "localhost";
  /** Default node id. */
  public static final int DEFAULT_NODE_ID = 1;
  /** Default startup timeout. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final String LOG_DIRECTORY_NAME = "kraft-combined-logs";
  private static final Set<String> MANAGED_BROKER_PROPERTIES = Set.of(
      "process.roles", "node.id", "broker.id", "listeners", "advertised.listeners",
      "controller.listener.names", "inter.broker.listener.name",
      "controller.quorum.voters", "controller.quorum.bootstrap.servers", "log.dirs", "log.dir",
      "metadata.log.dir");
  private static final Set<String> KNOWN_SETTINGS = Set.of(
      DATA_DIR, HOST, BROKER_PORT, CONTROLLER_PORT, NODE_ID, CLUSTER_ID, STARTUP_TIMEOUT_MS);

  /** Validates every setting and reports all problems at once. */
  public LocalKafkaConfig {
    List<String> problems = problems(
        dataDirectory, host, brokerPort, controllerPort, nodeId, clusterId, startupTimeout,
        brokerProperties);
    if (!problems.isEmpty()) {
      throw new LocalKafkaConfigException(problems);
    }
    brokerProperties = Map.copyOf(brokerProperties);
  }

  /**
   * The usual local setup: client port 9092, an ephemeral controller port, host localhost, node 1.
   *
   * @param dataDirectory where the broker keeps its data
   */
  public static LocalKafkaConfig defaults(Path dataDirectory) {
    return new LocalKafkaConfig(dataDirectory, DEFAULT_HOST, DEFAULT_BROKER_PORT, 0,
        DEFAULT_NODE_ID, Optional.empty(), DEFAULT_STARTUP_TIMEOUT, Map.of());
  }

  /**
   * Like {@link #defaults(Path)} but with ephemeral client and controller ports, for tests and
   * for running next to another broker.
   *
   * @param dataDirectory where the broker keeps its data
   */
  public static LocalKafkaConfig ephemeral(Path dataDirectory) {
    return defaults(dataDirectory).withBrokerPort(0);
  }

  /**
   * Parses settings named by this class's constants; keys starting with {@value
   * #BROKER_PROPERTY_PREFIX} become broker properties with the prefix removed. Missing settings
   * take the {@link #defaults(Path) defaults}; {@value #DATA_DIR} is required.
   *
   * @param settings setting name to value
   * @throws LocalKafkaConfigException listing every unparsable, invalid or unknown setting
   */
  public static LocalKafkaConfig fromProperties(Map<String, String> settings) {
    List<String> problems = new ArrayList<>();
    String dataDir = settings.get(DATA_DIR);
    Path dataDirectory = dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir);
    String host = settings.getOrDefault(HOST, DEFAULT_HOST);
    int brokerPort = parseInt(settings, BROKER_PORT, DEFAULT_BROKER_PORT, problems);
    int controllerPort = parseInt(settings, CONTROLLER_PORT, 0, problems);
    int nodeId = parseInt(settings, NODE_ID, DEFAULT_NODE_ID, problems);
    Optional<String> clusterId = Optional.ofNullable(settings.get(CLUSTER_ID));
    long timeoutMs = parseInt(settings, STARTUP_TIMEOUT_MS,
        (int) DEFAULT_STARTUP_TIMEOUT.toMillis(), problems);
    Map<String, String> brokerProperties = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(BROKER_PROPERTY_PREFIX)) {
        brokerProperties.put(key.substring(BROKER_PROPERTY_PREFIX.length()), entry.getValue());
      } else if (!KNOWN_SETTINGS.contains(key)) {
        problems.add(invalid(entry.getValue(), key, "unknown setting; known settings are "
            + String.join(", ", new TreeSet<>(KNOWN_SETTINGS)) + " and "
            + BROKER_PROPERTY_PREFIX + "<broker property>"));
      }
    }
    Duration startupTimeout = Duration.ofMillis(timeoutMs);
    problems.addAll(problems(dataDirectory, host, brokerPort, controllerPort, nodeId, clusterId,
        startupTimeout, brokerProperties));
    if (!problems.isEmpty()) {
      throw new LocalKafkaConfigException(problems);
    }
    return new LocalKafkaConfig(dataDirectory, host, brokerPort, controllerPort, nodeId, clusterId,
        startupTimeout, brokerProperties);
  }

  /** The Kafka log directory, which also holds the KRaft metadata log and meta.properties. */
  public Path logDirectory() {
    return dataDirectory.resolve(LOG_DIRECTORY_NAME);
  }

  /** A copy with another client port (0 = ephemeral). */
  public LocalKafkaConfig withBrokerPort(int port) {
    return new LocalKafkaConfig(dataDirectory, host, port, controllerPort, nodeId, clusterId,
        startupTimeout, brokerProperties);
  }

  /** A copy with another controller port (0 = ephemeral). */
  public LocalKafkaConfig withControllerPort(int port) {
    return new LocalKafkaConfig(dataDirectory, host, brokerPort, port, nodeId, clusterId,
        startupTimeout, brokerProperties);
  }

  /** A copy with another host. */
  public LocalKafkaConfig withHost(String newHost) {
    return new LocalKafkaConfig(dataDirectory, newHost, brokerPort, controllerPort, nodeId,
        clusterId, startupTimeout, brokerProperties);
  }

  /** A copy with another node id. */
  public LocalKafkaConfig withNodeId(int id) {
    return new LocalKafkaConfig(dataDirectory, host, brokerPort, controllerPort, id, clusterId,
        startupTimeout, brokerProperties);
  }

  /** A copy that formats new storage with the given cluster id and insists on it afterwards. */
  public LocalKafkaConfig withClusterId(String id) {
    return new LocalKafkaConfig(dataDirectory, host, brokerPort, controllerPort, nodeId,
        Optional.of(id), startupTimeout, brokerProperties);
  }

  /** A copy with another startup timeout. */
  public LocalKafkaConfig withStartupTimeout(Duration timeout) {
    return new LocalKafkaConfig(dataDirectory, host, brokerPort, controllerPort, nodeId, clusterId,
        timeout, brokerProperties);
  }

  /** A copy with one more broker property (replacing an earlier value for the same key). */
  public LocalKafkaConfig withBrokerProperty(String key, String value) {
    Map<String, String> merged = new LinkedHashMap<>(brokerProperties);
    merged.put(key, value);
    return new LocalKafkaConfig(dataDirectory, host, brokerPort, controllerPort, nodeId, clusterId,
        startupTimeout, merged);
  }

  private static List<String> problems(
      Path dataDirectory,
      String host,
      int brokerPort,
      int controllerPort,
      int nodeId,
      Optional<String> clusterId,
      Duration startupTimeout,
      Map<String, String> brokerProperties) {
    List<String> problems = new ArrayList<>();
    if (dataDirectory == null) {
      problems.add(invalid(null, DATA_DIR, "must be set to a directory path"));
    }
    if (host == null || host.isBlank()) {
      problems.add(invalid(host, HOST, "must be a host name or address"));
    }
    checkPort(brokerPort, BROKER_PORT, problems);
    checkPort(controllerPort, CONTROLLER_PORT, problems);
    if (brokerPort != 0 && brokerPort == controllerPort) {
      problems.add(invalid(controllerPort, CONTROLLER_PORT, "must differ from " + BROKER_PORT));
    }
    if (nodeId < 0) {
      problems.add(invalid(nodeId, NODE_ID, "must be >= 0"));
    }
    if (clusterId == null) {
      problems.add(invalid(null, CLUSTER_ID, "must be a cluster id or Optional.empty()"));
    } else {
      clusterId.filter(id -> !isValidClusterId(id))
          .ifPresent(id -> problems.add(invalid(id, CLUSTER_ID,
              "must be a base64 UUID of 22 characters, such as " + Uuid.randomUuid())));
    }
    if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
      problems.add(invalid(startupTimeout == null ? null : startupTimeout.toMillis(),
          STARTUP_TIMEOUT_MS, "must be >= 1"));
    }
    if (brokerProperties == null) {
      problems.add(invalid(null, BROKER_PROPERTY_PREFIX + "*", "must be a map, possibly empty"));
    } else {
      new TreeMap<>(brokerProperties).forEach((key, value) -> {
        if (MANAGED_BROKER_PROPERTIES.contains(key)) {
          problems.add(invalid(value, BROKER_PROPERTY_PREFIX + key, "managed by the local broker; "
              + "set " + HOST + ", " + BROKER_PORT + ", " + CONTROLLER_PORT + ", " + NODE_ID
              + " or " + DATA_DIR + " instead"));
        } else if (value == null) {
          problems.add(invalid(null, BROKER_PROPERTY_PREFIX + key, "must have a value"));
        }
      });
    }
    return problems;
  }

  private static boolean isValidClusterId(String id) {
    if (id.length() != 22) {
      return false;
    }
    try {
      Uuid.fromString(id);
      return true;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static void checkPort(int port, String name, List<String> problems) {
    if (port < 0 || port > 65535) {
      problems.add(invalid(port, name, "must be between 0 and 65535"));
    }
  }

  private static int parseInt(Map<String, String> settings, String key, int fallback,
      List<String> problems) {
    String value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException notANumber) {
      problems.add(invalid(value, key, "must be an integer"));
      return fallback;
    }
  }

  private static String invalid(Object value, String name, String rule) {
    return "Invalid value " + value + " for configuration " + name + ": " + rule;
  }
}
