package dev.sluice.testkit;

import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cluster together with the schema registry it owns: the local stack's {@link
 * EmbeddedSchemaRegistry}, started once the cluster is up and closed before it. Works the same on
 * either backend, since it needs only {@link #bootstrapServers()}; every other call goes to the
 * cluster.
 */
final class ClusterWithSchemaRegistry implements KafkaCluster {
  /** Replicas of the registry's topic at most, as for Kafka's own internal topics. */
  private static final int MAX_REPLICATION = 3;

  private final KafkaCluster cluster;
  private final EmbeddedSchemaRegistry registry;
  private final String url;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ClusterWithSchemaRegistry(KafkaCluster cluster, EmbeddedSchemaRegistry registry) {
    this.cluster = cluster;
    this.registry = registry;
    this.url = registry.url();
  }

  /**
   * Starts a registry on a running cluster with {@link #registryConfig(KafkaCluster)}.
   *
   * @param cluster a started cluster; from now on owned by the result
   * @throws TestKitException if the registry does not start; the cluster is closed then
   */
  static ClusterWithSchemaRegistry start(KafkaCluster cluster) {
    return start(cluster, registryConfig(cluster));
  }

  /**
   * Starts a registry with the given settings on a running cluster.
   *
   * @param cluster a started cluster; from now on owned by the result
   * @param config the registry's settings; its bootstrap servers should be the cluster's
   * @throws TestKitException if the registry does not start; the cluster is closed then
   */
  static ClusterWithSchemaRegistry start(KafkaCluster cluster,
      EmbeddedSchemaRegistryConfig config) {
    try {
      return new ClusterWithSchemaRegistry(cluster, EmbeddedSchemaRegistry.start(config));
    } catch (RuntimeException e) {
      TestKitException failure = new TestKitException("The schema registry did not start on the "
          + "Kafka cluster at " + cluster.bootstrapServers() + ": " + e.getMessage(), e);
      try {
        cluster.close();
      } catch (RuntimeException closeFailure) {
        failure.addSuppressed(closeFailure);
      }
      throw failure;
    }
  }

  /**
   * The registry settings for a cluster: its bootstrap servers, an ephemeral port on localhost,
   * the default {@code _schemas} topic, replicated {@code min(3, brokers)} times.
   */
  static EmbeddedSchemaRegistryConfig registryConfig(KafkaCluster cluster) {
    return EmbeddedSchemaRegistryConfig.defaults(cluster.bootstrapServers())
        .withPort(0)
        .withReplicationFactor(Math.min(MAX_REPLICATION, cluster.brokerCount()));
  }

  @Override
  public String schemaRegistryUrl() {
    return url;
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public int brokerCount() {
    return cluster.brokerCount();
  }

  @Override
  public int brokerId(int index) {
    return cluster.brokerId(index);
  }

  @Override
  public void stopBroker(int index) {
    cluster.stopBroker(index);
  }

  @Override
  public void restartBroker(int index) {
    cluster.restartBroker(index);
  }

  @Override
  public Map<String, Object> adminClientProperties() {
    return cluster.adminClientProperties();
  }

  @Override
  public void createTopic(String name, int partitions, int replicationFactor,
      Map<String, String> config) {
    cluster.createTopic(name, partitions, replicationFactor, config);
  }

  /** Closes the registry, then the cluster, even when the registry fails to close. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RuntimeException failure = null;
    try {
      registry.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      cluster.close();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
