package dev.sluice.topology.ingress;

/**
 * Names of the ingress's state stores, for interactive queries and for tests. The changelog of
 * each changelogged store is {@code <application.id>-<store>-changelog}.
 */
public final class IngressStores {
  /**
   * The model registry: the GlobalKTable over {@code <prefix>.models}, keyed
   * {@code model/version}, in memory (restored from the compacted topic on start).
   */
  public static final String MODELS = "sluice-models";
  /** Token buckets per tenant (in memory, changelogged). */
  public static final String RATE_BUCKETS = "sluice-rate-buckets";
  /** First-seen time per tenant and dedup key (RocksDB, changelogged, purged after the TTL). */
  public static final String DEDUP = "sluice-dedup";
  /** Recent results per tenant, model version and content key (bounded LRU, changelogged). */
  public static final String RESULT_CACHE = "sluice-result-cache";

  private IngressStores() {}
}
