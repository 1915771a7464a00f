package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import java.time.Clock;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the result cache's global store ({@link IngressStores#RESULT_CACHE}) up to date from
 * {@code <prefix>.results.cache}, on the global stream thread and on restore (so after a start
 * the store holds what the topic's retention kept, at most {@code ingress.cache.max.entries}).
 * Stores each result as the raw bytes it arrived in, keyed by its cache key, and counts it in
 * {@value IngressMetrics#CACHE_FILLS}; a result already older than the cache TTL (as at a start,
 * for results written long ago) is not stored, and a tombstone deletes the key. A value that is
 * bad data (a {@link SerializationException} that is not a registry outage) or a record without
 * a key is skipped with a WARN, as {@link DeserializationFailureHandler} skips bad records; a
 * registry outage propagates.
 */
final class ResultCacheWriter implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ResultCacheWriter.class);

  private final String topic;
  private final Deserializer<InferenceResult> decoder;
  private final Clock clock;
  private final long ttlMillis;
  private final IngressMetrics metrics;
  private KeyValueStore<String, byte[]> store;

  ResultCacheWriter(String topic, Deserializer<InferenceResult> decoder, Clock clock, long ttlMillis, IngressMetrics metrics) {
    this.topic = topic;
    this.decoder = decoder;
    this.clock = clock;
    this.ttlMillis = ttlMillis;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(IngressStores.RESULT_CACHE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      LOG.warn("Skipping a record without a key on {}", topic);
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    InferenceResult result;
    try {
      result = decoder.deserialize(topic, record.value());
    } catch (SerializationException e) {
      if (FailureClassifier.classify(e) == FailureClassifier.Kind.TRANSIENT) {
        throw e;
      }
      LOG.warn("Skipping undecodable result {} on {}: {}", record.key(), topic, e.getMessage());
      return;
    }
    if (!ResultCache.isExpired(result, clock.millis(), ttlMillis)) {
      store.put(record.key(), record.value());
      metrics.cacheFilled();
    }
  }
}
