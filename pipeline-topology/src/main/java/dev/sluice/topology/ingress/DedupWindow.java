package dev.sluice.topology.ingress;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The dedup TTL store ({@link IngressStores#DEDUP}, changelogged): when each tenant first sent
 * each idempotency key. A key seen again within the TTL is a retry; after the TTL it counts as
 * new. Expiry is decided on lookup, so correctness does not wait for the purge, which only frees
 * space and runs on a wall-clock punctuator.
 */
final class DedupWindow {
  private final KeyValueStore<String, Long> firstSeen;
  private final long ttlMillis;

  DedupWindow(KeyValueStore<String, Long> firstSeen, long ttlMillis) {
    this.firstSeen = firstSeen;
    this.ttlMillis = ttlMillis;
  }

  /** The store key of a tenant's dedup key. */
  static String key(String tenantKey, String dedupKey) {
    return tenantKey + "|" + dedupKey;
  }

  /** Whether the key was first seen less than the TTL before {@code nowMillis}. */
  boolean isRepeat(String key, long nowMillis) {
    Long seen = firstSeen.get(key);
    return seen != null && nowMillis - seen < ttlMillis;
  }

  /** Remembers the key as first seen now. */
  void remember(String key, long nowMillis) {
    firstSeen.put(key, nowMillis);
  }

  /**
   * Deletes every entry older than the TTL.
   *
   * @return how many were deleted
   */
  int purgeExpired(long nowMillis) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> entries = firstSeen.all()) {
      while (entries.hasNext()) {
        KeyValue<String, Long> entry = entries.next();
        if (nowMillis - entry.value >= ttlMillis) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(firstSeen::delete);
    return expired.size();
  }
}
