package dev.sluice.loadgen;

import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.topics.PipelineTopics;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The running pipeline a bench talks to.
 *
 * @param clientProperties properties for every Kafka client (bootstrap servers, TLS, SASL)
 * @param registry the schema registry client (not closed by the bench)
 * @param registryUrl the registry's URL, for messages and the report
 * @param topics the pipeline's topic names
 * @param gateway the HTTP gateway to send through ({@code POST /v1/embeddings}), or null to produce to Kafka
 * @param base64 whether calls to the gateway ask for {@code encoding_format: base64} (what OpenAI's
 *     Python SDK asks for when its caller names none) rather than JSON floats
 */
public record BenchTarget(Map<String, Object> clientProperties, SchemaRegistryClient registry, String registryUrl, PipelineTopics topics,
    URI gateway, boolean base64) {
  public BenchTarget {
    clientProperties = Map.copyOf(clientProperties);
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(topics, "topics");
  }

  /** A target fed through Kafka. */
  public BenchTarget(Map<String, Object> clientProperties, SchemaRegistryClient registry, String registryUrl, PipelineTopics topics) {
    this(clientProperties, registry, registryUrl, topics, null, false);
  }

  /** The bootstrap servers. */
  public String bootstrapServers() {
    return String.valueOf(clientProperties.get("bootstrap.servers"));
  }
}
