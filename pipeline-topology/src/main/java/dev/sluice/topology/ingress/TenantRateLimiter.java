package dev.sluice.topology.ingress;

import dev.sluice.preprocessing.BucketState;
import dev.sluice.preprocessing.RateDecision;
import dev.sluice.preprocessing.RateLimit;
import dev.sluice.preprocessing.RateLimits;
import dev.sluice.preprocessing.TokenBucket;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-tenant token buckets in the {@link IngressStores#RATE_BUCKETS} store. Runs after the tenant
 * repartition, so each tenant's bucket lives in exactly one task. Time is the injected wall clock,
 * not stream time, so the limit holds for the rate requests arrive at and tests are deterministic.
 * A tenant under an unlimited rate never touches the store.
 */
final class TenantRateLimiter {
  private final KeyValueStore<String, BucketState> buckets;
  private final RateLimits limits;

  TenantRateLimiter(KeyValueStore<String, BucketState> buckets, RateLimits limits) {
    this.buckets = buckets;
    this.limits = limits;
  }

  /** The limit that applies to a tenant (null for the default tenant). */
  RateLimit limitOf(String tenant) {
    return limits.forTenant(tenant);
  }

  /**
   * Takes one permit from the tenant's bucket.
   *
   * @param tenantKey the repartition key: the tenant, or {@link RateLimits#DEFAULT_TENANT}
   * @param tenant the request's tenant, possibly null
   * @param nowMillis the wall-clock time
   * @return the decision, whose state has been stored
   */
  RateDecision tryAcquire(String tenantKey, String tenant, long nowMillis) {
    RateLimit limit = limits.forTenant(tenant);
    if (limit.isUnlimited()) {
      return TokenBucket.tryAcquire(null, limit, nowMillis);
    }
    RateDecision decision = TokenBucket.tryAcquire(buckets.get(tenantKey), limit, nowMillis);
    buckets.put(tenantKey, decision.next());
    return decision;
  }
}
