package dev.sluice.testkit;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Brokers and controller inside the test JVM, run by Kafka's own {@link KafkaClusterTestKit}.
 * Ports are bound once and kept across broker restarts, so {@link #bootstrapServers()} stays
 * valid. Storage is formatted at the latest production metadata version.
 */
final class InProcessKafkaCluster implements KafkaCluster {
  /** Settings the controller acts on; given to broker-only nodes Kafka warns about them. */
  private static final Set<String> CONTROLLER_PROPERTIES =
      Set.of("default.replication.factor", "num.partitions", "broker.session.timeout.ms");

  private final KafkaClusterTestKit kit;
  private final List<Integer> brokerIds;
  private final String bootstrapServers;
  private final Set<Integer> stopped = new HashSet<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private InProcessKafkaCluster(KafkaClusterTestKit kit) {
    this.kit = kit;
    this.brokerIds = List.copyOf(kit.nodes().brokerNodes().keySet());
    this.bootstrapServers = kit.bootstrapServers();
  }

  /**
   * Formats and starts the nodes and waits until every broker is registered and unfenced.
   *
   * @throws TestKitException if the cluster does not start
   */
  static InProcessKafkaCluster start(ClusterSpec spec) {
    KafkaClusterTestKit kit = build(spec);
    try {
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return new InProcessKafkaCluster(kit);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      TestKitException failure = new TestKitException("In-process Kafka cluster ("
          + spec.brokers() + " brokers) did not start: " + e.getMessage(), e);
      try {
        kit.close();
      } catch (Exception closeFailure) {
        failure.addSuppressed(closeFailure);
      }
      throw failure;
    }
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public int brokerCount() {
    return brokerIds.size();
  }

  @Override
  public int brokerId(int index) {
    if (index < 0 || index >= brokerIds.size()) {
      throw new IllegalArgumentException("Broker index " + index + " is out of range: the cluster "
          + "has " + brokerIds.size() + " broker(s), indexes 0 to " + (brokerIds.size() - 1));
    }
    return brokerIds.get(index);
  }

  @Override
  public synchronized void stopBroker(int index) {
    int id = stoppableBrokerId(index);
    if (stopped.contains(id)) {
      throw new IllegalStateException("Broker " + index + " (id " + id + ") is already stopped");
    }
    BrokerServer broker = kit.brokers().get(id);
    broker.shutdown();
    broker.awaitShutdown();
    stopped.add(id);
  }

  @Override
  public synchronized void restartBroker(int index) {
    int id = stoppableBrokerId(index);
    kit.restartBroker(id, Map.of());
    stopped.remove(id);
    ClusterAdmin.awaitBrokerListed(adminClientProperties(), id);
  }

  @Override
  public Map<String, Object> adminClientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
  }

  @Override
  public void createTopic(String name, int partitions, int replicationFactor,
      Map<String, String> config) {
    ClusterAdmin.createTopic(adminClientProperties(), name, partitions, replicationFactor, config);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      kit.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new TestKitException("In-process Kafka cluster did not shut down cleanly: "
          + e.getMessage(), e);
    }
  }

  private int stoppableBrokerId(int index) {
    int id = brokerId(index);
    if (kit.nodes().isCombined(id)) {
      throw new UnsupportedOperationException("Broker " + index + " (id " + id + ") also runs the "
          + "KRaft controller (combined mode), so it cannot be stopped on its own. Use "
          + "@RealKafka(dedicatedController = true) for tests that stop or restart brokers.");
    }
    return id;
  }

  private static KafkaClusterTestKit build(ClusterSpec spec) {
    try {
      TestKitNodes.Builder nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
          .setCombined(!spec.dedicatedController())
          .setNumBrokerNodes(spec.brokers())
          .setNumControllerNodes(1)
          .setBaseDirectory(Files.createTempDirectory("sluice-testkit-"));
      Map<String, String> controllerOnly = new HashMap<>();
      Map<String, String> everyNode = new HashMap<>();
      spec.effectiveBrokerProperties().forEach((key, value) ->
          (CONTROLLER_PROPERTIES.contains(key) ? controllerOnly : everyNode).put(key, value));
      Map<Integer, Map<String, String>> perServer = new HashMap<>();
      nodes.build().controllerNodes().keySet().forEach(id -> perServer.put(id, controllerOnly));
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes.setPerServerProperties(perServer).build())
              // The test kit enables unstable versions by default; tests should see what
              // production brokers offer.
              .setConfigProp("unstable.api.versions.enable", "false")
              .setConfigProp("unstable.feature.versions.enable", "false");
      everyNode.forEach(builder::setConfigProp);
      return builder.build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new TestKitException("Could not set up the in-process Kafka cluster: "
          + e.getMessage(), e);
    }
  }

  private static BootstrapMetadata productionBootstrapMetadata() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> levels = new TreeMap<>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      levels.put(feature.featureName(), feature.defaultLevel(version));
    }
    return BootstrapMetadata.fromVersions(version, levels, "sluice-testkit");
  }
}
