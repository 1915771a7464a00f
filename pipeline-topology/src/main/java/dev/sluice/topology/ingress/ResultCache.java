package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ingress's inference cache over the {@link IngressStores#RESULT_CACHE} store: a bounded,
 * changelogged LRU map from {@code tenant|model/version|content_key} to the latest OK result for
 * that content. Fed from {@code <prefix>.results} (re-keyed by tenant, co-partitioned with the
 * requests); read by the admit stage. A result is served while its {@code completed_at} is less
 * than the TTL old; an expired entry is deleted when met.
 */
final class ResultCache {
  private final KeyValueStore<String, InferenceResult> results;
  private final long ttlMillis;

  ResultCache(KeyValueStore<String, InferenceResult> results, long ttlMillis) {
    this.results = results;
    this.ttlMillis = ttlMillis;
  }

  /** The cache key of one tenant's content for one model version. */
  static String key(String tenantKey, String model, String version, String contentKey) {
    return tenantKey + "|" + model + "/" + version + "|" + contentKey;
  }

  /** The cached result for the key, or null when there is none within the TTL. */
  InferenceResult lookup(String key, long nowMillis) {
    if (ttlMillis <= 0) {
      return null;
    }
    InferenceResult cached = results.get(key);
    if (cached == null) {
      return null;
    }
    if (expired(cached, nowMillis)) {
      results.delete(key);
      return null;
    }
    return cached;
  }

  /**
   * Remembers a worker's result unless it is already older than the TTL.
   *
   * @return whether it was put
   */
  boolean offer(String tenantKey, InferenceResult result, long nowMillis) {
    if (ttlMillis <= 0 || expired(result, nowMillis)) {
      return false;
    }
    results.put(key(tenantKey, result.getModel(), result.getModelVersion(), result.getContentKey()), result);
    return true;
  }

  /**
   * The answer to a request from a cached result: the cached output under the new request's id,
   * status OK, {@code cached = true}, no batch and no worker, the request's own tenant, trace,
   * attributes and timings (end to end from its creation).
   */
  static InferenceResult answer(PreparedRequest request, InferenceResult cached, long nowMillis) {
    double endToEnd = Math.max(0, nowMillis - request.getCreatedAt().toEpochMilli());
    return InferenceResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setModel(request.getModel())
        .setModelVersion(request.getModelVersion())
        .setStatus(Status.OK)
        .setOutput(cached.getOutput())
        .setError(null)
        .setCached(true)
        .setShadow(false)
        .setContentKey(request.getContentKey())
        .setTimings(new Timings(0.0, request.getPreprocessMs(), 0.0, endToEnd))
        .setBatchSize(0)
        .setWorkerId(null)
        .setTenant(request.getTenant())
        .setTraceparent(request.getTraceparent())
        .setCompletedAt(Instant.ofEpochMilli(nowMillis))
        .setAttributes(request.getAttributes())
        .build();
  }

  private boolean expired(InferenceResult result, long nowMillis) {
    return nowMillis - result.getCompletedAt().toEpochMilli() >= ttlMillis;
  }
}
