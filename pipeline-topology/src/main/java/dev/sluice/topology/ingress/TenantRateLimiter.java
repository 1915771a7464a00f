package dev.sluice.topology.ingress;

import dev.sluice.preprocessing.BucketState;
import dev.sluice.preprocessing.RateDecision;
import dev.sluice.preprocessing.RateLimit;
import dev.sluice.preprocessing.RateLimits;
import dev.sluice.preprocessing.TokenBucket;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-tenant token buckets of one request partition, in that task's
 * {@link IngressStores#RATE_BUCKETS} store (changelogged, so a bucket moves with its task).
 *
 * <p>There is no repartition by tenant: each request-partition task limits the requests it
 * reads, so a tenant has one bucket per partition of {@code <prefix>.requests}. Each bucket
 * enforces the tenant's share of its configured limit: rate / N and burst / N (but at least 1),
 * N being {@code ingress.request.partitions}. When a tenant's record keys spread over the
 * partitions, as keyed producers' do, the tenant's aggregate rate is about its configured rate,
 * the way Kafka's own quotas are enforced per broker. It is approximate: a tenant whose keys
 * concentrate on fewer partitions gets less than its rate (on one partition: rate / N), and the
 * burst it can send at once is the sum of the partition buckets (at least N when the configured
 * burst is below N). Time is the injected wall clock, not stream time, so the limit holds for the
 * rate requests arrive at and tests are deterministic. A tenant under an unlimited rate never
 * touches the store.
 */
final class TenantRateLimiter {
  private final KeyValueStore<String, BucketState> buckets;
  private final RateLimits limits;
  private final int partitions;
  /** Configured limit → this partition's share; as many entries as limits are configured. */
  private final Map<RateLimit, RateLimit> shares = new IdentityHashMap<>();

  /**
   * @param buckets the task's bucket store
   * @param limits the configured limits per tenant
   * @param partitions partitions of the request topic, at least 1
   */
  TenantRateLimiter(KeyValueStore<String, BucketState> buckets, RateLimits limits, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("request partitions is " + partitions + ", must be >= 1");
    }
    this.buckets = buckets;
    this.limits = limits;
    this.partitions = partitions;
  }

  /** The configured limit of a tenant (null for the default tenant), for all partitions together. */
  RateLimit limitOf(String tenant) {
    return limits.forTenant(tenant);
  }

  /** The share of a tenant's limit that this partition enforces. */
  RateLimit shareOf(String tenant) {
    return shares.computeIfAbsent(limits.forTenant(tenant), limit -> share(limit, partitions));
  }

  /** The number of request partitions the limits are divided by. */
  int partitions() {
    return partitions;
  }

  /**
   * Takes one permit from the tenant's bucket on this partition.
   *
   * @param tenantKey the tenant, or {@link RateLimits#DEFAULT_TENANT}
   * @param tenant the request's tenant, possibly null
   * @param nowMillis the wall-clock time
   * @return the decision, whose state has been stored
   */
  RateDecision tryAcquire(String tenantKey, String tenant, long nowMillis) {
    RateLimit share = shareOf(tenant);
    if (share.isUnlimited()) {
      return TokenBucket.tryAcquire(null, share, nowMillis);
    }
    RateDecision decision = TokenBucket.tryAcquire(buckets.get(tenantKey), share, nowMillis);
    buckets.put(tenantKey, decision.next());
    return decision;
  }

  /** A limit divided over {@code partitions} buckets: rate / N, burst / N but at least 1. */
  static RateLimit share(RateLimit limit, int partitions) {
    if (limit.isUnlimited()) {
      return limit;
    }
    return new RateLimit(limit.permitsPerSecond() / partitions, Math.max(1.0, limit.burst() / partitions));
  }
}
