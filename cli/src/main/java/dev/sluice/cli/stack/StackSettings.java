package dev.sluice.cli.stack;

import dev.sluice.schemas.topics.TopicSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code sluice up} and {@code sluice demo} start.
 *
 * @param dataDir where the local broker keeps its data and the ingress its state
 * @param bootstrapServers an existing cluster to connect to, or null to start the local broker
 * @param schemaRegistryUrl an existing registry, or null to start the embedded one
 * @param clientProperties extra properties for every Kafka client (TLS, SASL); may be empty
 * @param host the local broker's and registry's host
 * @param brokerPort the local broker's port (0: a free one)
 * @param registryPort the embedded registry's port (0: a free one)
 * @param prefix the topic prefix
 * @param topicSettings the shape of the pipeline's topics when they are created
 * @param workers inference workers of the bundled model to run in this process (0: they run elsewhere)
 * @param ingressPort the ingress's metrics and health port (0: a free one)
 * @param workerPort the first worker's metrics and health port, the next ones following (0: free ones)
 */
public record StackSettings(Path dataDir, String bootstrapServers, String schemaRegistryUrl, Map<String, Object> clientProperties,
    String host, int brokerPort, int registryPort, String prefix, TopicSettings topicSettings, int workers, int ingressPort, int workerPort) {
  public StackSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    clientProperties = Map.copyOf(clientProperties);
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, was " + workers);
    }
    Objects.requireNonNull(topicSettings, "topicSettings");
  }

  /** Whether the broker and registry run in this process. */
  public boolean local() {
    return bootstrapServers == null;
  }

  /** The worker port of worker {@code index}. */
  int workerPort(int index) {
    return workerPort == 0 ? 0 : workerPort + index;
  }
}
