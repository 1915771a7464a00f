package dev.sluice.topology.ingress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Looks up, once at start, how many partitions {@code <prefix>.requests} has (and checks that
 * {@code <prefix>.requests.rerouted} has as many, and that {@code <prefix>.replies} exists: a
 * request naming a reply partition would otherwise send to a topic that is not there), for an
 * {@link IngressConfig} that does not set {@value IngressConfig#REQUEST_PARTITIONS}: the rate
 * limits are divided by it. Uses an Admin client with the ingress's own connection settings (TLS
 * and SASL included) and needs Describe on the topic. Partitions added later take effect at the
 * next start.
 */
final class RequestTopicPartitions {
  private RequestTopicPartitions() {}

  /**
   * The configuration with the request topic's partition count filled in, unless it had one.
   *
   * @param config the parsed configuration
   * @param timeout bound on the lookup
   * @return the configuration with {@link IngressConfig#requestPartitions()} present
   * @throws IllegalStateException when the topic cannot be described within the timeout (it
   *     does not exist, the cluster is unreachable, or the principal may not describe it)
   * @throws InterruptedException when interrupted while waiting
   */
  static IngressConfig resolve(IngressConfig config, Duration timeout) throws InterruptedException {
    if (config.requestPartitions().isPresent()) {
      return config;
    }
    String topic = config.topics().requests();
    String rerouted = config.topics().reroutedRequests();
    String replies = config.topics().replies();
    StreamsConfig streams = new StreamsConfig(config.streamsProperties());
    try (Admin admin = Admin.create(streams.getAdminConfigs(config.applicationId() + "-partition-lookup"))) {
      Map<String, TopicDescription> descriptions = admin.describeTopics(List.of(topic, rerouted, replies)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      int partitions = descriptions.get(topic).partitions().size();
      int reroutedPartitions = descriptions.get(rerouted).partitions().size();
      if (reroutedPartitions != partitions) {
        throw new IllegalStateException(rerouted + " has " + reroutedPartitions + " partitions and " + topic + " has " + partitions
            + ": they must be equal, since a rerouted request must reach the task that owns its idempotency key"
            + " (add partitions to the smaller one with kafka-topics --alter)");
      }
      return config.withRequestPartitions(partitions);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException("Cannot look up the partitions of " + topic + ", " + rerouted + " and " + replies + ": "
            + e.getCause().getMessage() + " (create the pipeline's topics with sluice topics create)", e.getCause());
      }
      throw new IllegalStateException("Cannot look up the partitions of " + topic + " (set " + IngressConfig.REQUEST_PARTITIONS
          + " to skip the lookup): " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out after " + timeout + " looking up the partitions of " + topic + " (set "
          + IngressConfig.REQUEST_PARTITIONS + " to skip the lookup)", e);
    }
  }
}
