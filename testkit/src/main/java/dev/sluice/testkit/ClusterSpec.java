package dev.sluice.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a test cluster.
 *
 * @param brokers number of brokers, 1 to {@value #MAX_BROKERS}
 * @param dedicatedController whether the KRaft controller runs as its own node rather than inside
 *     the first broker
 * @param brokerProperties extra broker properties, applied on top of {@link
 *     #effectiveBrokerProperties()}'s defaults
 * @param schemaRegistry whether a schema registry runs on the cluster too, see {@link
 *     KafkaCluster#schemaRegistryUrl()}
 */
public record ClusterSpec(int brokers, boolean dedicatedController,
    Map<String, String> brokerProperties, boolean schemaRegistry) {

  /** Upper bound on brokers: each one is a full broker with its threads and memory. */
  public static final int MAX_BROKERS = 9;

  /** Validates the shape, reporting every problem in Kafka's message shape. */
  public ClusterSpec {
    List<String> problems = new ArrayList<>();
    if (brokers < 1 || brokers > MAX_BROKERS) {
      problems.add("Invalid value " + brokers + " for configuration brokers: must be between 1 and "
          + MAX_BROKERS);
    }
    brokerProperties.forEach((key, value) -> {
      if (key.isBlank() || value == null) {
        problems.add("Invalid value " + key + "=" + value
            + " for configuration brokerProperties: must be key=value");
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    brokerProperties = Map.copyOf(brokerProperties);
  }

  /** A shape without a schema registry. */
  public ClusterSpec(int brokers, boolean dedicatedController,
      Map<String, String> brokerProperties) {
    this(brokers, dedicatedController, brokerProperties, false);
  }

  /** One broker that is also the controller, without a schema registry. */
  public static ClusterSpec singleBroker() {
    return new ClusterSpec(1, false, Map.of());
  }

  /** This shape with or without a schema registry. */
  public ClusterSpec withSchemaRegistry(boolean enabled) {
    return new ClusterSpec(brokers, dedicatedController, brokerProperties, enabled);
  }

  /**
   * The shape an annotation asks for.
   *
   * @throws IllegalArgumentException listing every invalid attribute
   */
  public static ClusterSpec of(RealKafka annotation) {
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String entry : annotation.brokerProperties()) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        problems.add("Invalid value " + entry + " for configuration brokerProperties: must be "
            + "key=value");
      } else {
        properties.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new ClusterSpec(annotation.brokers(), annotation.dedicatedController(), properties,
        annotation.schemaRegistry());
  }

  /** Whether this is one broker hosting the controller too, the shape a container offers. */
  public boolean isSingleCombinedNode() {
    return brokers == 1 && !dedicatedController;
  }

  /**
   * Broker properties for this shape: internal topics replicated as far as the broker count allows
   * (up to 3, min ISR up to 2), few partitions for internal topics, no initial rebalance delay, no
   * automatic topic creation, short broker sessions so a restarted broker is back in seconds,
   * timed-out transactions aborted within a second (as the local broker does); then
   * {@link #brokerProperties()} on top.
   */
  public Map<String, String> effectiveBrokerProperties() {
    String replication = Integer.toString(Math.min(3, brokers));
    String minIsr = Integer.toString(Math.min(2, brokers));
    Map<String, String> props = new HashMap<>();
    props.put("offsets.topic.replication.factor", replication);
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", replication);
    props.put("transaction.state.log.min.isr", minIsr);
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", replication);
    props.put("share.coordinator.state.topic.min.isr", minIsr);
    props.put("default.replication.factor", replication);
    props.put("auto.create.topics.enable", "false");
    props.put("group.initial.rebalance.delay.ms", "0");
    // As the local broker: a killed worker's timed-out transaction is aborted within a second of its timeout.
    props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // A stopped broker can register again only once its old session expired: keep that short.
    props.put("broker.heartbeat.interval.ms", "500");
    props.put("broker.session.timeout.ms", "4000");
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.putAll(brokerProperties);
    return props;
  }
}
