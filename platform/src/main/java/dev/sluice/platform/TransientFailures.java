package dev.sluice.platform;

import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells transient infrastructure failures (which may recover: retry, or fail and let a restart
 * retry) from bad data and bugs. A failure is transient when it, or any cause in its chain (Kafka
 * Streams wraps processor failures in {@code StreamsException}s, a deserializer may wrap a
 * registry failure in a {@code SerializationException}), is a Kafka {@link RetriableException}
 * (timeouts, unavailable leaders, coordinator moves, ...), a
 * {@link java.util.concurrent.TimeoutException}, or a schema registry outage
 * ({@link SchemaRegistryUnavailableException}, {@link SchemaRegistryServerException}).
 */
public final class TransientFailures {
  private static final int MAX_DEPTH = 32;

  private TransientFailures() {}

  /**
   * Whether a failure is transient, by its cause chain.
   *
   * @param failure what was thrown
   * @return true when any link in the chain (at most 32 deep, cycles cut) is transient
   */
  public static boolean isTransient(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_DEPTH && seen.add(current); depth++) {
      if (isTransientLink(current)) {
        return true;
      }
      current = current.getCause();
    }
    return false;
  }

  private static boolean isTransientLink(Throwable failure) {
    return failure instanceof RetriableException
        || failure instanceof java.util.concurrent.TimeoutException
        || failure instanceof SchemaRegistryUnavailableException
        || failure instanceof SchemaRegistryServerException;
  }
}
