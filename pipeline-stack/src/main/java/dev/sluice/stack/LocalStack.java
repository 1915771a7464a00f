package dev.sluice.stack;

import dev.sluice.local.kafka.LocalKafkaBroker;
import dev.sluice.local.kafka.LocalKafkaConfig;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;

/**
 * The embedded local default: a real Kafka broker (KRaft) with its data on disk and a schema
 * registry storing its schemas in that broker, started together and stopped in reverse order.
 */
public final class LocalStack implements AutoCloseable {
  private final LocalKafkaBroker broker;
  private final EmbeddedSchemaRegistry registry;

  private LocalStack(LocalKafkaBroker broker, EmbeddedSchemaRegistry registry) {
    this.broker = broker;
    this.registry = registry;
  }

  /**
   * Starts the broker, waits until it is ready, then starts the registry on it.
   *
   * @param kafka the broker's settings (data directory, ports)
   * @param registryPort the registry's HTTP port; 0 picks a free one
   */
  public static LocalStack start(LocalKafkaConfig kafka, int registryPort) {
    LocalKafkaBroker broker = LocalKafkaBroker.start(kafka);
    try {
      EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
          EmbeddedSchemaRegistryConfig.defaults(broker.bootstrapServers()).withHost(kafka.host()).withPort(registryPort));
      return new LocalStack(broker, registry);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  /** The broker. */
  public LocalKafkaBroker broker() {
    return broker;
  }

  /** The {@code bootstrap.servers} value for clients. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The registry's base URL, e.g. {@code http://localhost:8081}. */
  public String schemaRegistryUrl() {
    return registry.url();
  }

  /** Stops the registry, then the broker. Idempotent. */
  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      broker.close();
    }
  }
}
