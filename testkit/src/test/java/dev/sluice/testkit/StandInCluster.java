package dev.sluice.testkit;

import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A cluster that is only an address: it reports the bootstrap servers it was given and one
 * broker, runs a hook when closed and counts the closes. Lets a test watch what {@link
 * ClusterWithSchemaRegistry} does to the cluster it owns without stopping the real one behind the
 * address.
 */
final class StandInCluster implements KafkaCluster {
  private final String bootstrapServers;
  private final Runnable onClose;
  private int closes;

  StandInCluster(String bootstrapServers, Runnable onClose) {
    this.bootstrapServers = bootstrapServers;
    this.onClose = onClose;
  }

  /** How often {@link #close()} was called. */
  int closes() {
    return closes;
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
    throw unsupported();
  }

  @Override
  public void stopBroker(int index) {
    throw unsupported();
  }

  @Override
  public void restartBroker(int index) {
    throw unsupported();
  }

  @Override
  public Map<String, Object> adminClientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
  }

  @Override
  public void createTopic(String name, int partitions, int replicationFactor,
      Map<String, String> config) {
    throw unsupported();
  }

  @Override
  public void close() {
    closes++;
    onClose.run();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("A stand-in cluster only has an address");
  }
}
