package dev.sluice.schemaregistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an {@link EmbeddedSchemaRegistry} connects to Kafka and where it listens.
 *
 * <p>Construction validates every field and reports all problems at once in a {@link
 * RegistryConfigException}. Start from {@link #defaults(String)} and adjust with the {@code with…}
 * methods, or parse flat properties with {@link #fromProperties(Map)}.
 *
 * @param bootstrapServers the Kafka cluster that holds the schemas topic ({@value #BOOTSTRAP_SERVERS})
 * @param host the address the HTTP server binds to ({@value #HOST}); {@code 0.0.0.0} for all
 * @param port the HTTP port ({@value #PORT}); 0 picks a free one, see {@link EmbeddedSchemaRegistry#port()}
 * @param topic the single-partition compacted topic holding schemas, config and deletes ({@value #TOPIC})
 * @param replicationFactor the topic's replication factor when the registry creates it ({@value
 *     #REPLICATION_FACTOR}); {@link #AUTO_REPLICATION_FACTOR} means min(3, brokers)
 * @param clientProperties extra Kafka client settings for the registry's admin, producer and
 *     consumer, e.g. {@code security.protocol} and {@code ssl.*} / {@code sasl.*} (properties
 *     prefixed {@value #CLIENT_PREFIX}); the registry's own durability settings win over them
 * @param startupTimeout bounds topic creation, reading the topic to its end at start, and each
 *     write's acknowledgement ({@value #STARTUP_TIMEOUT_MS}, in milliseconds)
 */
public record EmbeddedSchemaRegistryConfig(
    String bootstrapServers,
    String host,
    int port,
    String topic,
    int replicationFactor,
    Map<String, String> clientProperties,
    Duration startupTimeout) {

  /** Property naming {@link #bootstrapServers()}. */
  public static final String BOOTSTRAP_SERVERS = "registry.bootstrap.servers";
  /** Property naming {@link #host()}. */
  public static final String HOST = "registry.host";
  /** Property naming {@link #port()}. */
  public static final String PORT = "registry.port";
  /** Property naming {@link #topic()}. */
  public static final String TOPIC = "registry.topic";
  /** Property naming {@link #replicationFactor()}. */
  public static final String REPLICATION_FACTOR = "registry.replication.factor";
  /** Property naming {@link #startupTimeout()}, in milliseconds. */
  public static final String STARTUP_TIMEOUT_MS = "registry.startup.timeout.ms";
  /** Prefix of properties handed to the Kafka clients, with the prefix removed. */
  public static final String CLIENT_PREFIX = "registry.kafka.";

  /** Confluent's default port. */
  public static final int DEFAULT_PORT = 8081;
  /** Loopback only, by default: the embedded registry serves this machine. */
  public static final String DEFAULT_HOST = "localhost";
  /** Confluent's default schemas topic. */
  public static final String DEFAULT_TOPIC = "_schemas";
  /** Replication factor meaning "min(3, number of brokers)". */
  public static final int AUTO_REPLICATION_FACTOR = -1;
  /** Default bound on startup and on each write. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** Validates every field; see {@link RegistryConfigException}. */
  public EmbeddedSchemaRegistryConfig {
    List<String> problems = problems(bootstrapServers, host, port, topic, replicationFactor, clientProperties, startupTimeout);
    if (!problems.isEmpty()) {
      throw new RegistryConfigException(problems);
    }
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Port {@value #DEFAULT_PORT} on localhost, topic {@value #DEFAULT_TOPIC}, automatic replication, 60 s timeout. */
  public static EmbeddedSchemaRegistryConfig defaults(String bootstrapServers) {
    return new EmbeddedSchemaRegistryConfig(
        bootstrapServers, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TOPIC, AUTO_REPLICATION_FACTOR, Map.of(), DEFAULT_STARTUP_TIMEOUT);
  }

  /**
   * Parses flat properties named by this class's constants; absent ones take their defaults.
   * Properties prefixed {@value #CLIENT_PREFIX} become {@link #clientProperties()}.
   *
   * @throws RegistryConfigException listing every unparseable or invalid value
   */
  public static EmbeddedSchemaRegistryConfig fromProperties(Map<String, String> properties) {
    List<String> problems = new ArrayList<>();
    String bootstrap = properties.get(BOOTSTRAP_SERVERS);
    String host = properties.getOrDefault(HOST, DEFAULT_HOST);
    int port = parseInt(properties, PORT, DEFAULT_PORT, problems);
    String topic = properties.getOrDefault(TOPIC, DEFAULT_TOPIC);
    int replication = parseInt(properties, REPLICATION_FACTOR, AUTO_REPLICATION_FACTOR, problems);
    long timeoutMs = parseLong(properties, STARTUP_TIMEOUT_MS, DEFAULT_STARTUP_TIMEOUT.toMillis(), problems);
    Map<String, String> client = new LinkedHashMap<>();
    properties.forEach((key, value) -> {
      if (key.startsWith(CLIENT_PREFIX)) {
        client.put(key.substring(CLIENT_PREFIX.length()), value);
      }
    });
    Duration timeout = Duration.ofMillis(timeoutMs);
    problems.addAll(problems(bootstrap, host, port, topic, replication, client, timeout));
    if (!problems.isEmpty()) {
      throw new RegistryConfigException(problems);
    }
    return new EmbeddedSchemaRegistryConfig(bootstrap, host, port, topic, replication, client, timeout);
  }

  /** This configuration listening on another port (0 for an ephemeral one). */
  public EmbeddedSchemaRegistryConfig withPort(int newPort) {
    return new EmbeddedSchemaRegistryConfig(bootstrapServers, host, newPort, topic, replicationFactor, clientProperties, startupTimeout);
  }

  /** This configuration binding another address. */
  public EmbeddedSchemaRegistryConfig withHost(String newHost) {
    return new EmbeddedSchemaRegistryConfig(bootstrapServers, newHost, port, topic, replicationFactor, clientProperties, startupTimeout);
  }

  /** This configuration storing schemas in another topic. */
  public EmbeddedSchemaRegistryConfig withTopic(String newTopic) {
    return new EmbeddedSchemaRegistryConfig(bootstrapServers, host, port, newTopic, replicationFactor, clientProperties, startupTimeout);
  }

  /** This configuration creating its topic with another replication factor. */
  public EmbeddedSchemaRegistryConfig withReplicationFactor(int newReplicationFactor) {
    return new EmbeddedSchemaRegistryConfig(bootstrapServers, host, port, topic, newReplicationFactor, clientProperties, startupTimeout);
  }

  /** This configuration with other extra Kafka client settings (TLS, SASL, ...). */
  public EmbeddedSchemaRegistryConfig withClientProperties(Map<String, String> newClientProperties) {
    return new EmbeddedSchemaRegistryConfig(bootstrapServers, host, port, topic, replicationFactor, newClientProperties, startupTimeout);
  }

  /** This configuration with another startup and write timeout. */
  public EmbeddedSchemaRegistryConfig withStartupTimeout(Duration newStartupTimeout) {
    return new EmbeddedSchemaRegistryConfig(bootstrapServers, host, port, topic, replicationFactor, clientProperties, newStartupTimeout);
  }

  private static List<String> problems(
      String bootstrapServers, String host, int port, String topic, int replicationFactor,
      Map<String, String> clientProperties, Duration startupTimeout) {
    List<String> problems = new ArrayList<>();
    if (bootstrapServers == null) {
      problems.add("Missing required configuration \"" + BOOTSTRAP_SERVERS + "\" which has no default value.");
    } else if (bootstrapServers.isBlank()) {
      problems.add(invalid(bootstrapServers, BOOTSTRAP_SERVERS, "must be a non-empty list of host:port pairs"));
    }
    if (host == null || host.isBlank()) {
      problems.add(invalid(host, HOST, "must be a host name or address"));
    }
    if (port < 0 || port > 65535) {
      problems.add(invalid(port, PORT, "must be between 0 and 65535"));
    }
    if (topic == null || !TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      problems.add(invalid(topic, TOPIC, "must be a legal Kafka topic name (1 to 249 of [a-zA-Z0-9._-], not '.' or '..')"));
    }
    if (replicationFactor != AUTO_REPLICATION_FACTOR && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
      problems.add(invalid(replicationFactor, REPLICATION_FACTOR, "must be -1 (min(3, brokers)) or between 1 and 32767"));
    }
    if (clientProperties == null) {
      problems.add(invalid(null, CLIENT_PREFIX + "*", "must be a map, possibly empty"));
    } else {
      clientProperties.forEach((key, value) -> {
        if (key == null || key.isBlank() || value == null) {
          problems.add(invalid(value, CLIENT_PREFIX + key, "Kafka client properties need a name and a value"));
        }
      });
    }
    if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
      problems.add(invalid(startupTimeout == null ? null : startupTimeout.toMillis(), STARTUP_TIMEOUT_MS, "must be >= 1"));
    }
    return problems;
  }

  private static int parseInt(Map<String, String> properties, String name, int fallback, List<String> problems) {
    String raw = properties.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      problems.add(invalid(raw, name, "not a 32-bit integer"));
      return fallback;
    }
  }

  private static long parseLong(Map<String, String> properties, String name, long fallback, List<String> problems) {
    String raw = properties.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      problems.add(invalid(raw, name, "not a 64-bit integer"));
      return fallback;
    }
  }

  private static String invalid(Object value, String name, String reason) {
    return "Invalid value " + value + " for configuration " + name + ": " + reason;
  }
}
