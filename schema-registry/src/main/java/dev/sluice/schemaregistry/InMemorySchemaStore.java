package dev.sluice.schemaregistry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link SchemaStore} that keeps its log in memory. A registry started on it loses everything
 * when the store is dropped, but a new registry started on the same instance replays it, which
 * makes restarts testable without a broker. Thread-safe.
 */
public final class InMemorySchemaStore implements SchemaStore {

  private final List<StoreRecord> log = new ArrayList<>();

  @Override
  public synchronized void replay(Consumer<StoreRecord> sink) {
    List.copyOf(log).forEach(sink);
  }

  @Override
  public synchronized void append(StoreRecord record) {
    log.add(record);
  }

  /** A copy of every record appended so far, oldest first. */
  public synchronized List<StoreRecord> records() {
    return List.copyOf(log);
  }

  @Override
  public void close() {
    // Nothing to release: the log lives as long as this object so that it can be replayed again.
  }
}
