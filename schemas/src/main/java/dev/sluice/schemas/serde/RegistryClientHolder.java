package dev.sluice.schemas.serde;

import dev.sluice.schemas.config.ConfigReader;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import java.util.Map;

/**
 * The registry client of a serde: one handed in by the caller (never closed here), or one built
 * from the {@code configure} properties and owned (closed on {@link #close()}).
 */
final class RegistryClientHolder implements AutoCloseable {
  private final SchemaRegistryClient injected;
  private SchemaRegistryClient owned;

  /** Holds the given client, or none yet when null. */
  RegistryClientHolder(SchemaRegistryClient injected) {
    this.injected = injected;
  }

  /**
   * Validates the serde keys and, without an injected client, the registry keys, reporting all
   * problems together; then builds the owned client (replacing an earlier one).
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem
   */
  synchronized AvroSerdeConfig configure(Map<String, ?> configs) {
    ConfigReader reader = new ConfigReader(configs);
    AvroSerdeConfig serdeConfig = AvroSerdeConfig.read(reader);
    SchemaRegistryClientConfig clientConfig = injected == null ? SchemaRegistryClientConfig.read(reader) : null;
    reader.throwIfInvalid();
    if (injected == null) {
      close();
      owned = new RestSchemaRegistryClient(clientConfig);
    }
    return serdeConfig;
  }

  /**
   * The client.
   *
   * @throws IllegalStateException when none was injected and {@code configure} was not called
   */
  synchronized SchemaRegistryClient get() {
    if (injected != null) {
      return injected;
    }
    if (owned == null) {
      throw new IllegalStateException(
          "No schema registry client: construct the serde with a SchemaRegistryClient, or call configure(...) with "
              + SchemaRegistryClientConfig.URL);
    }
    return owned;
  }

  /** Closes the owned client, if any; an injected client is left to its owner. */
  @Override
  public synchronized void close() {
    if (owned != null) {
      owned.close();
      owned = null;
    }
  }
}
