package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The request path's read access to the ingress's inference cache: the global store
 * ({@link IngressStores#RESULT_CACHE}) over {@code <prefix>.results.cache}, which maps
 * {@code tenant|model/version|content_key} to the Avro bytes of the latest OK result for that
 * content, whichever ingress instance and request partition first asked for it. The store is
 * read-only here; {@link CacheFeedProcessor} fills the topic and {@link ResultCacheWriter} the
 * store.
 *
 * <p>A hit's bytes are decoded once per processor and kept, with the bytes they came from, in a
 * small LRU memo ({@value #MEMO_ENTRIES} entries): popular content is answered again and again,
 * and decoding an embedding of hundreds of floats for every answer would cost more than the rest
 * of the lookup. The memo is used only while the store still holds the same bytes for the key.
 *
 * <p>A result is served while its {@code completed_at} is less than the TTL old. Expired entries
 * cannot be deleted from a global store by its readers: they are never served, and they leave
 * the store when the LRU bound ({@code ingress.cache.max.entries}) evicts them, and the topic
 * when its retention deletes them. One instance per processor, so per stream thread; not
 * thread-safe.
 */
final class ResultCache {
  static final int MEMO_ENTRIES = 1024;

  private final ReadOnlyKeyValueStore<String, byte[]> results;
  private final Deserializer<InferenceResult> decoder;
  private final String topic;
  private final long ttlMillis;
  private final Map<String, Decoded> memo = new LinkedHashMap<>(MEMO_ENTRIES * 4 / 3 + 1, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Decoded> eldest) {
      return size() > MEMO_ENTRIES;
    }
  };

  /**
   * @param results the cache's global store
   * @param decoder decodes a cached result's bytes
   * @param topic the cache topic, for the decoder
   * @param ttlMillis how long a result is served; 0 or less serves nothing
   */
  ResultCache(ReadOnlyKeyValueStore<String, byte[]> results, Deserializer<InferenceResult> decoder, String topic, long ttlMillis) {
    this.results = results;
    this.decoder = decoder;
    this.topic = topic;
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
    byte[] cached = results.get(key);
    if (cached == null) {
      return null;
    }
    InferenceResult result = decoded(key, cached);
    return isExpired(result, nowMillis, ttlMillis) ? null : result;
  }

  private InferenceResult decoded(String key, byte[] bytes) {
    Decoded known = memo.get(key);
    if (known != null && (known.bytes() == bytes || Arrays.equals(known.bytes(), bytes))) {
      return known.result();
    }
    InferenceResult result = decoder.deserialize(topic, bytes);
    memo.put(key, new Decoded(bytes, result));
    return result;
  }

  /** A cached result decoded, and the bytes it was decoded from. */
  private record Decoded(byte[] bytes, InferenceResult result) {}

  /** Whether a result is at least the TTL old at {@code nowMillis}. */
  static boolean isExpired(InferenceResult result, long nowMillis, long ttlMillis) {
    return nowMillis - result.getCompletedAt().toEpochMilli() >= ttlMillis;
  }

  /**
   * The answer to a request from a cached result: the cached output under the new request's id,
   * with the version that produced it, status OK, {@code cached = true}, no batch and no worker,
   * the request's own tenant, trace, attributes and timings (end to end from its creation), and
   * the cached result's token count (the same content makes the same tokens).
   */
  static InferenceResult answer(PreparedRequest request, InferenceResult cached, long nowMillis) {
    double endToEnd = Math.max(0, nowMillis - request.getCreatedAt().toEpochMilli());
    return new InferenceResult(
        request.getRequestId(),
        request.getModel(),
        cached.getModelVersion(),
        Status.OK,
        cached.getOutput(),
        null,
        true,
        false,
        request.getContentKey(),
        new Timings(0.0, request.getPreprocessMs(), 0.0, endToEnd),
        0,
        null,
        request.getTenant(),
        request.getTraceparent(),
        Instant.ofEpochMilli(nowMillis),
        request.getAttributes(),
        cached.getInputTokens(),
        null);
  }
}
