package dev.sluice.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A small thread-safe least-recently-used cache of fixed capacity, for per-instance caches of
 * schemas, ids and datum readers. Synchronized: entries are few and loads are rare.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class LruCache<K, V> {
  private final int capacity;
  private final LinkedHashMap<K, V> entries;

  /**
   * Creates an empty cache.
   *
   * @param capacity the most entries kept, at least 1
   */
  public LruCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > LruCache.this.capacity;
      }
    };
  }

  /** The cached value, or null; marks the entry as recently used. */
  public synchronized V get(K key) {
    return entries.get(key);
  }

  /** Caches a value, evicting the least recently used entry when full. */
  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  /**
   * The cached value, or the loader's value, cached. The loader runs outside the lock, so two
   * threads missing at once may both load; the values are expected to be equal.
   */
  public V computeIfAbsent(K key, Function<? super K, ? extends V> loader) {
    V cached = get(key);
    if (cached != null) {
      return cached;
    }
    V loaded = loader.apply(key);
    if (loaded != null) {
      put(key, loaded);
    }
    return loaded;
  }

  /** Drops the entries matching the predicate. */
  public synchronized void removeIf(BiPredicate<? super K, ? super V> predicate) {
    entries.entrySet().removeIf(e -> predicate.test(e.getKey(), e.getValue()));
  }

  /** Drops every entry. */
  public synchronized void clear() {
    entries.clear();
  }

  /** The number of entries cached. */
  public synchronized int size() {
    return entries.size();
  }

  /** The most entries kept. */
  public int capacity() {
    return capacity;
  }
}
