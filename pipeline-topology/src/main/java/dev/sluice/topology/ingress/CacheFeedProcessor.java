package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import java.time.Clock;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the result cache: reads {@code <prefix>.results} and writes each fresh worker answer,
 * re-keyed by its cache key {@code tenant|model/version|content_key} ({@link ResultCache#key}),
 * to {@value IngressTopology#RESULT_CACHE_SINK} ({@code <prefix>.results.cache}), which every
 * ingress instance reads back as a global store. A fresh answer is OK, has an output and a
 * content key, is neither a cached answer nor a shadow result, and is younger than the cache
 * TTL; everything else is skipped, and so is everything while the cache is off
 * ({@code ingress.cache.ttl.ms=0}).
 *
 * <p>The decision is taken on a {@link ResultSummaryReader summary} that skips the output; only
 * results that pass it are decoded in full. A value that is bad data (not an InferenceResult in
 * the wire format) is skipped with a WARN naming its topic, partition and offset, as
 * {@link DeserializationFailureHandler} skips records on the topics the ingress only reads for its
 * state; a registry outage propagates.
 */
final class CacheFeedProcessor implements Processor<byte[], byte[], String, InferenceResult> {
  private static final Logger LOG = LoggerFactory.getLogger(CacheFeedProcessor.class);

  private final IngressConfig config;
  private final Clock clock;
  private final ResultSummaryReader summaries;
  private final Deserializer<InferenceResult> decoder;
  private ProcessorContext<String, InferenceResult> context;

  CacheFeedProcessor(IngressConfig config, Clock clock, ResultSummaryReader summaries, Deserializer<InferenceResult> decoder) {
    this.config = config;
    this.clock = clock;
    this.summaries = summaries;
    this.decoder = decoder;
  }

  @Override
  public void init(ProcessorContext<String, InferenceResult> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (!config.cacheEnabled() || record.value() == null) {
      return;
    }
    String topic = config.topics().results();
    try {
      ResultSummaryReader.Summary summary = summaries.read(topic, record.value());
      if (!summary.ok() || summary.cached() || summary.shadow() || summary.contentKey() == null
          || clock.millis() - summary.completedAtMillis() >= config.cacheTtl().toMillis()) {
        return;
      }
      InferenceResult result = decoder.deserialize(topic, record.value());
      if (result.getOutput() == null) {
        return;
      }
      String key = ResultCache.key(IngressTopology.tenantKey(summary.tenant()), summary.model(), summary.version(), summary.contentKey());
      context.forward(new Record<>(key, result, record.timestamp(), record.headers()), IngressTopology.RESULT_CACHE_SINK);
    } catch (SerializationException e) {
      if (FailureClassifier.classify(e) == FailureClassifier.Kind.TRANSIENT) {
        throw e;
      }
      LOG.warn("Skipping undecodable result {}: {}", context.recordMetadata()
          .map(m -> "from " + m.topic() + " partition " + m.partition() + " offset " + m.offset()).orElse("on " + topic), e.getMessage());
    }
  }
}
