package dev.sluice.schemaregistry;

import java.util.function.Consumer;

/**
 * Where the registry keeps its changes: an append-only log of {@link StoreRecord}s. The registry
 * replays the log once at start and then appends each change, applying it to its in-memory state
 * only after {@link #append} returned.
 *
 * <p>Implementations: {@link KafkaSchemaStore} (a compacted single-partition topic, the default)
 * and {@link InMemorySchemaStore} (for tests and throwaway registries).
 */
public interface SchemaStore extends AutoCloseable {

  /**
   * Hands every record stored so far to {@code sink}, oldest first, and returns when the end is
   * reached.
   *
   * @throws SchemaStoreException when the log cannot be read to its end
   */
  void replay(Consumer<StoreRecord> sink);

  /**
   * Stores one record durably and returns once it is acknowledged.
   *
   * @throws SchemaStoreTimeoutException when the acknowledgement does not come in time
   * @throws SchemaStoreException when the write failed
   */
  void append(StoreRecord record);

  /** Releases the store's resources; idempotent. */
  @Override
  void close();
}
