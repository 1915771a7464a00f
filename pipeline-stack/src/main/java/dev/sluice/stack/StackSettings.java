package dev.sluice.stack;

import dev.sluice.schemas.topics.TopicSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code sluice up} and {@code sluice demo} start.
 *
 * @param dataDir where the local broker keeps its data and the topologies their state
 * @param bootstrapServers an existing cluster to connect to, or null to start the local broker
 * @param schemaRegistryUrl an existing registry, or null to start the embedded one
 * @param clientProperties extra properties for every Kafka client (TLS, SASL); may be empty
 * @param host the host the local parts listen on
 * @param ports the ports they listen on
 * @param prefix the topic prefix
 * @param topicSettings the shape of the pipeline's topics when they are created
 * @param workers inference workers of the bundled model to run in this process (0: they run elsewhere)
 */
public record StackSettings(Path dataDir, String bootstrapServers, String schemaRegistryUrl, Map<String, Object> clientProperties,
    String host, StackPorts ports, String prefix, TopicSettings topicSettings, int workers) {
  public StackSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(topicSettings, "topicSettings");
    clientProperties = Map.copyOf(clientProperties);
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, was " + workers);
    }
  }

  /** Whether the broker and registry run in this process. */
  public boolean local() {
    return bootstrapServers == null;
  }
}
