package dev.sluice.testkit;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One combined KRaft broker in Testcontainers' {@code apache/kafka} container. Stopping or
 * restarting the broker is not offered: a restarted container gets new mapped ports, which would
 * invalidate {@link #bootstrapServers()}.
 */
final class ContainerKafkaCluster implements KafkaCluster {
  /** Node id the Testcontainers Kafka module gives its broker. */
  private static final int BROKER_ID = 1;

  private final KafkaContainer container;
  private final String bootstrapServers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ContainerKafkaCluster(KafkaContainer container) {
    this.container = container;
    this.bootstrapServers = container.getBootstrapServers();
  }

  /**
   * Starts the container; Testcontainers waits until the broker is running.
   *
   * @param spec must be {@link ClusterSpec#isSingleCombinedNode() a single combined node}
   * @param image the Docker image, e.g. {@code apache/kafka:4.1.0}
   * @throws TestKitException if the container does not start
   */
  static ContainerKafkaCluster start(ClusterSpec spec, String image) {
    if (!spec.isSingleCombinedNode()) {
      throw new IllegalArgumentException("The container backend runs one combined broker, not "
          + spec.brokers() + " broker(s) with dedicatedController=" + spec.dedicatedController());
    }
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(image));
    spec.effectiveBrokerProperties()
        .forEach((key, value) -> container.withEnv(envName(key), value));
    try {
      container.start();
      return new ContainerKafkaCluster(container);
    } catch (RuntimeException e) {
      TestKitException failure = new TestKitException("Kafka container " + image
          + " did not start: " + e.getMessage() + ". Check Docker, or run in-process with -D"
          + KafkaClusters.BACKEND_PROPERTY + "=inprocess", e);
      try {
        container.stop();
      } catch (RuntimeException stopFailure) {
        failure.addSuppressed(stopFailure);
      }
      throw failure;
    }
  }

  /**
   * The environment variable the {@code apache/kafka} image maps to a broker property: upper
   * case, {@code KAFKA_} prefix, {@code .} to {@code _}, {@code _} to {@code __}, {@code -} to
   * {@code ___}.
   */
  static String envName(String property) {
    String escaped = property.replace("_", "__").replace("-", "___").replace(".", "_");
    return "KAFKA_" + escaped.toUpperCase(Locale.ROOT);
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public int brokerCount() {
    return 1;
  }

  @Override
  public int brokerId(int index) {
    if (index != 0) {
      throw new IllegalArgumentException("Broker index " + index + " is out of range: the cluster "
          + "has 1 broker, index 0");
    }
    return BROKER_ID;
  }

  @Override
  public void stopBroker(int index) {
    throw unsupported("stop");
  }

  @Override
  public void restartBroker(int index) {
    throw unsupported("restart");
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
    if (closed.compareAndSet(false, true)) {
      container.stop();
    }
  }

  private static UnsupportedOperationException unsupported(String action) {
    return new UnsupportedOperationException("The container backend cannot " + action + " a "
        + "broker. Use @RealKafka(brokers = 3, dedicatedController = true), which runs in-process, "
        + "or -D" + KafkaClusters.BACKEND_PROPERTY + "=inprocess.");
  }
}
