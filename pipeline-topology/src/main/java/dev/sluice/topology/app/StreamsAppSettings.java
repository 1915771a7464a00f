package dev.sluice.topology.app;

import dev.sluice.schemas.config.ConfigReader;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.ingress.DeserializationFailureHandler;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings every Sluice Kafka Streams application reads alike (the ingress, the monitor):
 * where Kafka and the registry are, the application id, the topic prefix, the state directory,
 * and exactly_once_v2 as the only processing guarantee. Problems go to the reader, reported with
 * the application's own.
 *
 * @param applicationId the Streams application id
 * @param bootstrapServers Kafka's bootstrap servers (null when missing: reported)
 * @param registry the schema registry client's settings
 * @param topics the pipeline's topic names
 * @param stateDir the state directory, or null for Kafka's default
 */
public record StreamsAppSettings(String applicationId, String bootstrapServers, SchemaRegistryClientConfig registry,
    PipelineTopics topics, String stateDir) {
  /**
   * The group session timeout unless set (the broker's default minimum): a killed instance's tasks
   * move, and an instance restarted after a crash gets its tasks, within about 8 s instead of
   * Kafka's 45.
   */
  public static final int SESSION_TIMEOUT_MS = 6_000;
  /** The heartbeat interval unless set: a third of the session, so a rebalance reaches every member within 2 s. */
  public static final int HEARTBEAT_INTERVAL_MS = 2_000;
  /** The topic prefix key. */
  public static final String TOPIC_PREFIX = "topic.prefix";

  /**
   * Reads the shared settings.
   *
   * @param reader the application's configuration reader
   * @param defaultApplicationId the application id when none is set
   * @param whyExactlyOnce what relies on exactly_once_v2, for the message refusing another guarantee
   */
  public static StreamsAppSettings read(ConfigReader reader, String defaultApplicationId, String whyExactlyOnce) {
    String bootstrap = reader.string(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG).orElse(null);
    if (bootstrap == null) {
      reader.missing(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    SchemaRegistryClientConfig registry = SchemaRegistryClientConfig.read(reader);
    String applicationId = reader.string(StreamsConfig.APPLICATION_ID_CONFIG).orElse(defaultApplicationId);
    String prefix = reader.string(TOPIC_PREFIX).orElse(PipelineTopics.DEFAULT_PREFIX);
    PipelineTopics topics;
    try {
      topics = new PipelineTopics(prefix);
    } catch (IllegalArgumentException e) {
      reader.invalid(TOPIC_PREFIX, prefix, "must use only letters, digits, '.', '_' and '-'");
      topics = PipelineTopics.defaults();
    }
    reader.string(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)
        .filter(guarantee -> !guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2))
        .ifPresent(guarantee -> reader.invalid(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee,
            "must be " + StreamsConfig.EXACTLY_ONCE_V2 + ": " + whyExactlyOnce));
    String stateDir = reader.string(StreamsConfig.STATE_DIR_CONFIG).orElse(null);
    return new StreamsAppSettings(applicationId, bootstrap, registry, topics, stateDir);
  }

  /** Whether a key goes on to Kafka Streams: everything but the application's own ({@code ownPrefix}) and the registry's. */
  public static boolean passesThrough(String key, String ownPrefix) {
    return !key.startsWith(ownPrefix) && !key.equals(TOPIC_PREFIX) && !key.startsWith("schema.registry.")
        && !key.startsWith("basic.auth.") && !key.startsWith("bearer.auth.");
  }

  /**
   * Puts the settings every Sluice Streams application runs with over the pass-through keys:
   * its id, the cluster, {@code exactly_once_v2}, the state directory when given, a 6 s session
   * timeout and 2 s heartbeats unless set ({@link #SESSION_TIMEOUT_MS}), bad bytes skipped
   * by {@link DeserializationFailureHandler}, and a record without a valid (non-negative)
   * timestamp processed at its partition's time ({@link RecordTimeExtractor}) instead of failing
   * the stream thread, as Kafka Streams' default extractor would.
   *
   * @param streams the properties, pass-through keys already in
   * @param applicationId the application id
   * @param bootstrapServers the cluster
   * @param stateDir the state directory, or null for Kafka's default
   */
  public static void putFixedSettings(Properties streams, String applicationId, String bootstrapServers, String stateDir) {
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    streams.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeserializationFailureHandler.class.getName());
    streams.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, RecordTimeExtractor.class.getName());
    if (stateDir != null) {
      streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    }
    // The streams group protocol keeps sessions on the broker; the classic one takes them from us.
    if (!"streams".equalsIgnoreCase(String.valueOf(streams.getOrDefault(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic")))) {
      putMainConsumerDefault(streams, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
      putMainConsumerDefault(streams, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(HEARTBEAT_INTERVAL_MS));
    }
  }

  /**
   * Sets a main-consumer setting unless the pass-through keys set it already, bare or with the
   * {@code consumer.} or {@code main.consumer.} prefix.
   *
   * @param streams the properties
   * @param key a consumer key
   * @param value its default for these applications
   */
  public static void putMainConsumerDefault(Properties streams, String key, String value) {
    if (!streams.containsKey(key) && !streams.containsKey(StreamsConfig.consumerPrefix(key))) {
      streams.putIfAbsent(StreamsConfig.mainConsumerPrefix(key), value);
    }
  }
}
