package dev.sluice.testkit;

import java.util.Map;

/**
 * A real Kafka cluster for a test: in-process KRaft brokers or a Testcontainers broker, as chosen
 * by {@link KafkaClusters}. Obtain one by declaring a parameter of this type in a test class
 * annotated with {@link RealKafka}, or start one with {@link KafkaClusters#start(ClusterSpec)}.
 *
 * <p>Brokers are addressed by index, 0 to {@link #brokerCount()} - 1, in broker id order.
 */
public interface KafkaCluster extends AutoCloseable {

  /** The {@code bootstrap.servers} value for clients. Stays valid across broker restarts. */
  String bootstrapServers();

  /** The number of brokers (controllers not counted). */
  int brokerCount();

  /**
   * The broker id of the broker at an index, e.g. to compare with partition leaders.
   *
   * @param index 0 to {@link #brokerCount()} - 1
   * @throws IllegalArgumentException if the index is out of range
   */
  int brokerId(int index);

  /**
   * Shuts a broker down cleanly (controlled shutdown: its partitions get other leaders first) and
   * waits until it has stopped.
   *
   * @param index 0 to {@link #brokerCount()} - 1
   * @throws UnsupportedOperationException if the backend cannot stop single brokers: the container
   *     backend, or a broker that shares its process with the controller (combined mode)
   * @throws IllegalStateException if the broker is already stopped
   */
  void stopBroker(int index);

  /**
   * Starts a broker again on its old port and data (stopping it first if it is running) and waits
   * until the cluster lists it.
   *
   * @param index 0 to {@link #brokerCount()} - 1
   * @throws UnsupportedOperationException as for {@link #stopBroker(int)}
   */
  void restartBroker(int index);

  /**
   * Properties for an Admin client reaching this cluster ({@code bootstrap.servers}); they also
   * suit producers and consumers, with serializers and the like added.
   */
  Map<String, Object> adminClientProperties();

  /**
   * Creates a topic and waits until every partition has a leader.
   *
   * @param name topic name
   * @param partitions number of partitions
   * @param replicationFactor replicas per partition, at most {@link #brokerCount()}
   * @param config topic configs such as {@code min.insync.replicas}; may be empty
   * @throws TestKitException if Kafka refuses the topic or it is not ready in time
   */
  void createTopic(String name, int partitions, int replicationFactor, Map<String, String> config);

  /**
   * The base URL of the schema registry running on this cluster, e.g. {@code
   * http://localhost:41234}, for {@code schema.registry.url}. The registry speaks Confluent's REST
   * API and keeps its schemas in the cluster's {@code _schemas} topic; it is started after the
   * brokers and stopped before them.
   *
   * @throws IllegalStateException if the cluster was started without one; the default
   */
  default String schemaRegistryUrl() {
    throw new IllegalStateException("This Kafka cluster runs no schema registry. Use "
        + "@RealKafka(schemaRegistry = true), or start it with a ClusterSpec "
        + "withSchemaRegistry(true).");
  }

  /**
   * Stops the schema registry, if any, then every broker and controller, and deletes their data.
   * Calling it again does nothing.
   */
  @Override
  void close();
}
