package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Fills the result cache from {@code <prefix>.results}, after the results are re-keyed by tenant
 * and repartitioned with the same partition count as the requests, so a tenant's results land in
 * the task that serves that tenant's requests. Only fresh worker answers get here: OK, with an
 * output and a content key, neither cached nor shadow (the topology filters the rest out).
 * Emits nothing.
 */
final class CacheFeedProcessor implements Processor<String, InferenceResult, Void, Void> {
  private final IngressConfig config;
  private final Clock clock;
  private final IngressMetrics metrics;
  private ResultCache cache;

  CacheFeedProcessor(IngressConfig config, Clock clock, IngressMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.cache = new ResultCache(context.getStateStore(IngressStores.RESULT_CACHE), config.cacheTtl().toMillis());
  }

  @Override
  public void process(Record<String, InferenceResult> record) {
    if (cache.offer(record.key(), record.value(), clock.millis())) {
      metrics.cacheFilled();
    }
  }
}
