package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.preprocessing.Outcome;
import dev.sluice.preprocessing.RateDecision;
import dev.sluice.preprocessing.RateLimit;
import dev.sluice.preprocessing.Route;
import dev.sluice.preprocessing.VersionRouter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 2 of the ingress, stateful, on the tenant repartition (key: tenant, or {@code default}):
 * rate limit, dedup, result cache, route. For every prepared request it emits exactly one of a
 * {@link IngressStep.Reject} (RATE_LIMITED), nothing (a counted duplicate), an
 * {@link IngressStep.Answer} (a cache hit), or a {@link IngressStep.Forward} of the request plus
 * one Forward per shadow version; every output is keyed by the original request key again.
 *
 * <ol>
 *   <li>RATE_LIMIT: the tenant's token bucket ({@link TenantRateLimiter}) at the injected
 *       clock's time. A refusal's detail names the limit and the retry-after; it carries the
 *       original key and source position, but not the original value, which stage 1 does not
 *       carry across the repartition (the source position finds it).
 *   <li>DEDUP: only for requests with an idempotency key: one seen within the TTL
 *       ({@link DedupWindow}) is dropped and counted in {@value IngressMetrics#DEDUP_DROPS},
 *       otherwise remembered. A wall-clock punctuator purges expired entries.
 *       Then the result cache ({@link ResultCache}): a hit is answered at once on
 *       {@code <prefix>.results} under the new request id, counted in
 *       {@value IngressMetrics#CACHE_HITS}.
 *   <li>ROUTE: a miss goes to {@code <prefix>.inference.<model>}; each shadow version (re-read
 *       from the registry GlobalKTable, by {@link VersionRouter}'s rule) gets a copy with its
 *       version and {@code shadow = true}. Shadow copies are extra, not outcomes.
 * </ol>
 */
final class AdmitRequestProcessor implements Processor<String, PreparedRequest, byte[], IngressStep> {
  private static final Duration MIN_PURGE_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_PURGE_INTERVAL = Duration.ofMinutes(1);

  private final IngressConfig config;
  private final Clock clock;
  private final IngressMetrics metrics;
  private final VersionRouter router = new VersionRouter();
  private ProcessorContext<byte[], IngressStep> context;
  private TenantRateLimiter rateLimiter;
  private DedupWindow dedup;
  private ResultCache cache;
  private ModelRegistryView models;

  AdmitRequestProcessor(IngressConfig config, Clock clock, IngressMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], IngressStep> context) {
    this.context = context;
    this.rateLimiter = new TenantRateLimiter(context.getStateStore(IngressStores.RATE_BUCKETS), config.rateLimits());
    this.dedup = new DedupWindow(context.getStateStore(IngressStores.DEDUP), config.dedupTtl().toMillis());
    this.cache = new ResultCache(context.getStateStore(IngressStores.RESULT_CACHE), config.cacheTtl().toMillis());
    this.models = new ModelRegistryView(context.getStateStore(IngressStores.MODELS));
    Duration half = config.dedupTtl().dividedBy(2);
    Duration interval = half.compareTo(MIN_PURGE_INTERVAL) < 0 ? MIN_PURGE_INTERVAL
        : half.compareTo(MAX_PURGE_INTERVAL) > 0 ? MAX_PURGE_INTERVAL : half;
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, timestamp -> metrics.dedupExpired(dedup.purgeExpired(clock.millis())));
  }

  @Override
  public void process(Record<String, PreparedRequest> record) {
    PreparedRequest request = record.value();
    String tenantKey = record.key();
    byte[] requestKey = IngressHeaders.bytes(record.headers(), IngressHeaders.REQUEST_KEY);
    String dedupKey = IngressHeaders.text(record.headers(), IngressHeaders.DEDUP_KEY);
    Record<byte[], IngressStep> out = new Record<>(requestKey, null, record.timestamp(), IngressHeaders.withoutInternal(record.headers()));
    long now = clock.millis();

    metrics.entered(Stage.RATE_LIMIT);
    RateDecision decision = rateLimiter.tryAcquire(tenantKey, request.getTenant(), now);
    if (!decision.allowed()) {
      rejectRateLimited(out, request, tenantKey, decision.retryAfterMillis(), now);
      return;
    }
    metrics.passed(Stage.RATE_LIMIT);

    metrics.entered(Stage.DEDUP);
    if (dedupKey != null) {
      String key = DedupWindow.key(tenantKey, dedupKey);
      if (dedup.isRepeat(key, now)) {
        metrics.dedupDropped();
        return;
      }
      dedup.remember(key, now);
    }
    String cacheKey = ResultCache.key(tenantKey, request.getModel(), request.getModelVersion(), request.getContentKey());
    InferenceResult cached = cache.lookup(cacheKey, now);
    if (cached != null) {
      metrics.cacheHit(request.getModel(), request.getModelVersion());
      context.forward(out.withValue(new IngressStep.Answer(ResultCache.answer(request, cached, now))));
      return;
    }
    metrics.passed(Stage.DEDUP);

    context.forward(out.withValue(new IngressStep.Forward(request)));
    metrics.routed(request.getModel(), request.getModelVersion(), false);
    for (ModelDeployment shadow : shadowsOf(request)) {
      PreparedRequest copy = PreparedRequest.newBuilder(request).setModelVersion(shadow.getVersion()).setShadow(true).build();
      context.forward(out.withValue(new IngressStep.Forward(copy)));
      metrics.routed(copy.getModel(), copy.getModelVersion(), true);
    }
  }

  private List<ModelDeployment> shadowsOf(PreparedRequest request) {
    String model = request.getModel();
    Outcome<Route> route = router.route(models.versionsOf(model), model, request.getModelVersion(), request.getRequestId());
    return route instanceof Outcome.Accepted<Route> accepted ? accepted.value().shadows() : List.of();
  }

  private void rejectRateLimited(Record<byte[], IngressStep> out, PreparedRequest request, String tenantKey, long retryAfterMillis, long now) {
    RateLimit limit = rateLimiter.limitOf(request.getTenant());
    RejectedRequest rejection = RejectedRequest.newBuilder()
        .setRequestId(request.getRequestId())
        .setModel(request.getModel())
        .setTenant(request.getTenant())
        .setReason(ReasonCode.RATE_LIMITED)
        .setStage(Stage.RATE_LIMIT)
        .setDetail("tenant " + tenantKey + " is over its rate limit of " + limit.permitsPerSecond() + " requests/s (burst "
            + limit.burst() + "); retry after " + retryAfterMillis + " ms")
        .setOriginalKey(out.key() == null ? null : ByteBuffer.wrap(out.key()))
        .setOriginalValue(null)
        .setSource(request.getSource())
        .setRejectedAt(Instant.ofEpochMilli(now))
        .setTraceparent(request.getTraceparent())
        .build();
    metrics.rejected(ReasonCode.RATE_LIMITED, Stage.RATE_LIMIT);
    context.forward(out.withValue(new IngressStep.Reject(rejection)));
  }
}
