package dev.sluice.topology.ingress;

/**
 * Names of the ingress's state stores, for interactive queries and for tests. The changelog of
 * each changelogged store is {@code <application.id>-<store>-changelog}.
 */
public final class IngressStores {
  /**
   * The model registry: a global store over {@code <prefix>.models} (keyed {@code model/version}),
   * keyed by model, each value holding the Avro bytes of the model's deployed versions
   * ({@link ModelVersions}); in memory, rebuilt from the compacted topic on start, complete on
   * every instance.
   */
  public static final String MODELS = "sluice-models";
  /** Token buckets per tenant, one store per request partition (in memory, changelogged). */
  public static final String RATE_BUCKETS = "sluice-rate-buckets";
  /**
   * First-seen time per tenant and dedup key, one store per request partition (RocksDB,
   * changelogged, purged after the TTL).
   */
  public static final String DEDUP = "sluice-dedup";
  /**
   * The dedup entries in first-seen order, so the purge reads only the expired ones: keyed by the
   * first-seen time (8 bytes, big-endian) followed by the {@link #DEDUP} key, values empty; one
   * store per request partition (RocksDB, local: no changelog), kept in step with {@link #DEDUP}
   * and rebuilt from it at each task's first purge.
   */
  public static final String DEDUP_EXPIRY = "sluice-dedup-expiry";
  /**
   * The result cache: a global store over {@code <prefix>.results.cache}, keyed
   * {@code tenant|model/version|content_key}, holding each result's Avro bytes; in memory, at
   * most {@code ingress.cache.max.entries} entries per instance (least recently used evicted),
   * loaded on start from what the topic's retention kept.
   */
  public static final String RESULT_CACHE = "sluice-result-cache";

  private IngressStores() {}
}
