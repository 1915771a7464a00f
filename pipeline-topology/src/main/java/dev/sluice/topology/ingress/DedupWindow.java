package dev.sluice.topology.ingress;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The dedup TTL store ({@link IngressStores#DEDUP}, changelogged): when each tenant first sent
 * each idempotency key. A key seen again within the TTL is a retry; after the TTL it counts as
 * new. Expiry is decided on lookup, so correctness does not wait for the purge, which only frees
 * space and runs on a wall-clock punctuator.
 *
 * <p>The purge visits only what it deletes: a second store ({@link IngressStores#DEDUP_EXPIRY})
 * indexes every entry by first-seen time, its key the time as 8 big-endian bytes followed by the
 * entry's key in UTF-8 (its value empty), so the store's byte order is time order and one range
 * scan from the start up to {@code now - ttl} yields exactly the expired entries. Indexing by
 * first-seen time rather than expiry time keeps the purge in step with {@link #admit} when the
 * TTL is changed between runs. The index has no changelog (a keyed request costs one changelog
 * record, the dedup store's): it is local to the instance, so the first purge of each task start
 * indexes every entry of the dedup store once (restored ones, ones written before the index
 * existed). An index entry the dedup store no longer matches (an older first sighting, a rolled
 * back write) is dropped when the purge reaches it, without touching the dedup store.
 */
final class DedupWindow {
  private static final byte[] NO_VALUE = new byte[0];

  private final KeyValueStore<String, Long> firstSeen;
  private final KeyValueStore<Bytes, byte[]> byFirstSeen;
  private final long ttlMillis;
  private boolean indexed;

  DedupWindow(KeyValueStore<String, Long> firstSeen, KeyValueStore<Bytes, byte[]> byFirstSeen, long ttlMillis) {
    this.firstSeen = firstSeen;
    this.byFirstSeen = byFirstSeen;
    this.ttlMillis = ttlMillis;
  }

  /** The store key of a tenant's dedup key. */
  static String key(String tenantKey, String dedupKey) {
    return tenantKey + "|" + dedupKey;
  }

  /**
   * Admits a key with one lookup: false when it was first seen less than the TTL before
   * {@code nowMillis} (a retry); otherwise remembers it as first seen now and returns true.
   */
  boolean admit(String key, long nowMillis) {
    Long previous = firstSeen.get(key);
    if (previous != null && nowMillis - previous < ttlMillis) {
      return false;
    }
    record(key, previous, nowMillis);
    return true;
  }

  private void record(String key, Long previous, long nowMillis) {
    if (previous != null) {
      byFirstSeen.delete(indexKey(previous, key));
    }
    firstSeen.put(key, nowMillis);
    byFirstSeen.put(indexKey(nowMillis, key), NO_VALUE);
  }

  /**
   * Deletes every entry first seen at least the TTL before {@code nowMillis}, visiting no other.
   *
   * @return how many were deleted
   */
  int purgeExpired(long nowMillis) {
    if (!indexed) {
      indexEveryEntry();
      indexed = true;
    }
    long cutoff = nowMillis - ttlMillis;
    if (cutoff < 0) {
      return 0;
    }
    List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> entries = byFirstSeen.range(null, upperBound(cutoff))) {
      entries.forEachRemaining(entry -> expired.add(entry.key));
    }
    int deleted = 0;
    for (Bytes indexKey : expired) {
      byFirstSeen.delete(indexKey);
      String key = keyOf(indexKey);
      Long seen = firstSeen.get(key);
      if (seen != null && seen == timeOf(indexKey)) {
        firstSeen.delete(key);
        deleted++;
      }
    }
    return deleted;
  }

  /**
   * The index key of an entry: its first-seen time (non-negative epoch millis) big-endian, then
   * its key in UTF-8, so byte order is time order.
   */
  static Bytes indexKey(long seenMillis, String key) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + keyBytes.length).putLong(seenMillis).put(keyBytes).array());
  }

  /**
   * The inclusive upper bound of a scan for entries first seen at or before {@code cutoff}: the
   * bare time {@code cutoff + 1}, which sorts after every key of time {@code cutoff} and before
   * every key of a later time (no index key is a bare time: entry keys are never empty).
   */
  static Bytes upperBound(long cutoff) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(cutoff + 1).array());
  }

  private static long timeOf(Bytes indexKey) {
    return ByteBuffer.wrap(indexKey.get()).getLong();
  }

  private static String keyOf(Bytes indexKey) {
    byte[] bytes = indexKey.get();
    return new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8);
  }

  /** Indexes every entry of the dedup store: once per task start, since the index has no changelog. */
  private void indexEveryEntry() {
    try (KeyValueIterator<String, Long> entries = firstSeen.all()) {
      while (entries.hasNext()) {
        KeyValue<String, Long> entry = entries.next();
        byFirstSeen.put(indexKey(entry.value, entry.key), NO_VALUE);
      }
    }
  }
}
