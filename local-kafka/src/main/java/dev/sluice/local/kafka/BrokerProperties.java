package dev.sluice.local.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka server properties of the local broker: KRaft combined mode with a static one-node
 * quorum, single-node replication settings, and the user's overrides on top of the defaults. The
 * listeners and the quorum are fixed; their security protocols may be overridden.
 */
final class BrokerProperties {
  /** Name of the client listener. */
  static final String BROKER_LISTENER = "PLAINTEXT";
  /** How often the transaction coordinator aborts transactions past their timeout (Kafka's default: 10 s). */
  static final String TRANSACTION_CLEANUP_INTERVAL = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
  /** Name of the KRaft controller listener. */
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private BrokerProperties() {}

  /**
   * Builds the properties.
   *
   * @param config the local broker settings
   * @param logDirectory absolute log (and metadata) directory
   * @param brokerPort the bound client port
   * @param controllerPort the bound controller port
   */
  static Map<String, String> of(LocalKafkaConfig config, String logDirectory, int brokerPort,
      int controllerPort) {
    Map<String, String> props = new HashMap<>(defaults());
    props.putAll(config.brokerProperties());
    String host = config.host();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(config.nodeId()));
    props.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
        + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
    props.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
    // Overridable, e.g. PLAINTEXT:SASL_PLAINTEXT with listener.name.plaintext.* settings for a
    // broker that authenticates and authorizes its clients.
    props.putIfAbsent("listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("controller.quorum.voters", config.nodeId() + "@" + host + ":" + controllerPort);
    props.put("log.dirs", logDirectory);
    props.put("metadata.log.dir", logDirectory);
    return props;
  }

  private static Map<String, String> defaults() {
    Map<String, String> defaults = new HashMap<>();
    // One node: every internal topic has exactly one replica.
    defaults.put("offsets.topic.replication.factor", "1");
    defaults.put("offsets.topic.num.partitions", "5");
    defaults.put("transaction.state.log.replication.factor", "1");
    defaults.put("transaction.state.log.min.isr", "1");
    defaults.put("transaction.state.log.num.partitions", "5");
    defaults.put("share.coordinator.state.topic.replication.factor", "1");
    defaults.put("share.coordinator.state.topic.min.isr", "1");
    defaults.put("default.replication.factor", "1");
    defaults.put("min.insync.replicas", "1");
    defaults.put("num.partitions", "1");
    // The pipeline creates its topics; a typo must not create a new one.
    defaults.put("auto.create.topics.enable", "false");
    defaults.put("group.initial.rebalance.delay.ms", "0");
    // A killed worker's open transaction holds its partitions' offsets until the coordinator aborts
    // it: check for timed-out transactions every second rather than every 10 s.
    defaults.put(TRANSACTION_CLEANUP_INTERVAL, "1000");
    // After a crash the node can register again only once its previous registration's session
    // expired (9 s by default): keep it short, the controller lives in the same process.
    defaults.put("broker.heartbeat.interval.ms", "500");
    defaults.put("broker.session.timeout.ms", "4000");
    // An embedded broker shares the heap: the cleaner's default 128 MiB buffer is too much.
    defaults.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    defaults.put("num.network.threads", "2");
    defaults.put("num.io.threads", "4");
    return defaults;
  }
}
