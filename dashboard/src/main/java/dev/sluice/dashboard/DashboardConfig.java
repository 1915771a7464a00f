package dev.sluice.dashboard;

import dev.sluice.schemas.topics.PipelineTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the dashboard server needs.
 *
 * @param port the HTTP port, 0 for a free one
 * @param clientProperties properties for a Kafka consumer of the cluster ({@code bootstrap.servers}, TLS, SASL)
 * @param topics the pipeline's topics; the server reads {@link PipelineTopics#metrics()} and {@link PipelineTopics#alerts()}
 * @param schemaRegistryUrl the schema registry the records' schema ids refer to
 * @param lookback how far back a fresh server starts reading, so a new page has history
 */
public record DashboardConfig(int port, Map<String, Object> clientProperties, PipelineTopics topics, String schemaRegistryUrl,
    Duration lookback) {
  /** The default lookback: the last 15 minutes. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(15);

  public DashboardConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid value " + port + " for configuration dashboard.port: must be between 0 and 65535");
    }
    if (lookback.isNegative()) {
      throw new IllegalArgumentException("Invalid value " + lookback + " for configuration dashboard.lookback: must be >= 0");
    }
    clientProperties = Map.copyOf(clientProperties);
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
  }

  /** A config with the default lookback. */
  public static DashboardConfig of(int port, Map<String, Object> clientProperties, PipelineTopics topics, String schemaRegistryUrl) {
    return new DashboardConfig(port, clientProperties, topics, schemaRegistryUrl, DEFAULT_LOOKBACK);
  }
}
