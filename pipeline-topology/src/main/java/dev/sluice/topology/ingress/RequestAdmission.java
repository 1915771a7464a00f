package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.preprocessing.RateDecision;
import dev.sluice.preprocessing.RateLimit;
import java.time.Clock;

/**
 * The stateful second half of the request path, in the task of the request's partition: rate
 * limit, dedup, result cache. Turns an {@link IngressStep.Prepared} into exactly one of a
 * {@link IngressStep.Reject} (RATE_LIMITED), a {@link IngressStep.Dropped} (a counted retry), an
 * {@link IngressStep.Answer} (a cache hit) or the Prepared itself, to be routed.
 *
 * <ol>
 *   <li>RATE_LIMIT: the tenant's token bucket on this partition ({@link TenantRateLimiter}) at
 *       the injected clock's time. A refusal's detail names the tenant's limit, this partition's
 *       share of it and the retry-after.
 *   <li>DEDUP: only for requests with an idempotency key: one seen by this task within the TTL
 *       ({@link DedupWindow}, keyed by tenant and dedup key) is dropped and counted in
 *       {@value IngressMetrics#DEDUP_DROPS}, otherwise remembered. Every request with an idempotency
 *       key reaches the task that owns the key ({@link KeyOwnership}), however it was keyed.
 *       Then the result cache ({@link ResultCache}, global): the routed version's answer to the
 *       same content, else (for a request that names no version) another serving version's,
 *       largest share first, so a repeat is answered once any version has answered its content;
 *       a hit is answered at once on {@code <prefix>.results} under the new request id, with the
 *       version whose output it is, counted in {@value IngressMetrics#CACHE_HITS}.
 * </ol>
 */
final class RequestAdmission {
  private final TenantRateLimiter rateLimiter;
  private final DedupWindow dedup;
  private final ResultCache cache;
  private final Clock clock;
  private final IngressMetrics metrics;

  RequestAdmission(TenantRateLimiter rateLimiter, DedupWindow dedup, ResultCache cache, Clock clock, IngressMetrics metrics) {
    this.rateLimiter = rateLimiter;
    this.dedup = dedup;
    this.cache = cache;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Admits one prepared request, or says what became of it instead. */
  IngressStep admit(IngressStep.Prepared prepared) {
    PreparedRequest request = prepared.request();
    String tenantKey = IngressTopology.tenantKey(request.getTenant());
    long now = clock.millis();

    metrics.entered(Stage.RATE_LIMIT);
    RateDecision decision = rateLimiter.tryAcquire(tenantKey, request.getTenant(), now);
    if (!decision.allowed()) {
      return rateLimited(prepared, tenantKey, decision.retryAfterMillis(), now);
    }
    metrics.passed(Stage.RATE_LIMIT);

    metrics.entered(Stage.DEDUP);
    if (prepared.dedupKey() != null) {
      String key = DedupWindow.key(tenantKey, prepared.dedupKey());
      if (!dedup.admit(key, now)) {
        metrics.dedupDropped();
        return new IngressStep.Dropped(request.getRequestId());
      }
    }
    String model = request.getModel();
    InferenceResult cached = cache.lookup(ResultCache.key(tenantKey, model, request.getModelVersion(), request.getContentKey()), now);
    for (int i = 0; cached == null && i < prepared.cacheAlternates().size(); i++) {
      cached = cache.lookup(ResultCache.key(tenantKey, model, prepared.cacheAlternates().get(i), request.getContentKey()), now);
    }
    if (cached != null) {
      metrics.cacheHit(request.getModel(), cached.getModelVersion());
      return new IngressStep.Answer(prepared.in(), ResultCache.answer(request, cached, now));
    }
    metrics.passed(Stage.DEDUP);
    return prepared;
  }

  private IngressStep.Reject rateLimited(IngressStep.Prepared prepared, String tenantKey, long retryAfterMillis, long now) {
    RateLimit limit = rateLimiter.limitOf(prepared.request().getTenant());
    RateLimit share = rateLimiter.shareOf(prepared.request().getTenant());
    String detail = "tenant " + tenantKey + " is over its rate limit of " + limit.permitsPerSecond() + " requests/s (burst "
        + limit.burst() + "), enforced as " + share.permitsPerSecond() + " requests/s (burst " + share.burst() + ") on each of the "
        + rateLimiter.partitions() + " request partitions; retry after " + retryAfterMillis + " ms";
    RejectedRequest rejection = DeadLetters.of(prepared.in(), ReasonCode.RATE_LIMITED, Stage.RATE_LIMIT, detail, now);
    rejection.setRetryAfterMs(retryAfterMillis);
    return new IngressStep.Reject(rejection);
  }
}
