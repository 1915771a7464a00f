package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.SourcePosition;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The whole request path, in the task of each partition of {@code <prefix>.requests}: reads the
 * raw record, lets {@link RequestPreparer} decode, route, validate and normalize it and
 * {@link RequestAdmission} rate-limit, de-duplicate and look it up in the result cache, and writes
 * the one outcome: a dead letter to {@value IngressTopology#REJECTED_SINK}, a cached answer to
 * {@value IngressTopology#CACHED_RESULTS_SINK}, nothing for a dropped retry, or the prepared
 * request, plus one copy per shadow version (version set, {@code shadow = true}), to
 * {@value IngressTopology#INFERENCE_SINK}. Shadow copies are extra, not outcomes.
 *
 * <p>Every output keeps the input record's key bytes, timestamp and headers. A wall-clock
 * punctuator purges expired dedup entries.
 */
final class RequestProcessor implements Processor<byte[], byte[], byte[], Object> {
  private static final Duration MIN_PURGE_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_PURGE_INTERVAL = Duration.ofMinutes(1);

  private final IngressConfig config;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private final IngressMetrics metrics;
  private ProcessorContext<byte[], Object> context;
  private RequestPreparer preparer;
  private RequestAdmission admission;

  RequestProcessor(IngressConfig config, SchemaRegistryClient registry, Clock clock, IngressMetrics metrics) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    ModelRegistryView models = new ModelRegistryView(context.getStateStore(IngressStores.MODELS),
        new AvroDeserializer<>(ModelDeployment.class, registry), config.topics().models());
    this.preparer = new RequestPreparer(new AvroDeserializer<>(InferenceRequest.class, registry), models, config, clock, metrics);
    DedupWindow dedup = new DedupWindow(context.getStateStore(IngressStores.DEDUP), config.dedupTtl().toMillis());
    ResultCache cache = new ResultCache(context.getStateStore(IngressStores.RESULT_CACHE),
        new AvroDeserializer<>(InferenceResult.class, registry), config.topics().resultCache(), config.cacheTtl().toMillis());
    TenantRateLimiter rateLimiter = new TenantRateLimiter(context.getStateStore(IngressStores.RATE_BUCKETS), config.rateLimits(),
        config.requiredRequestPartitions());
    this.admission = new RequestAdmission(rateLimiter, dedup, cache, clock, metrics);
    Duration half = config.dedupTtl().dividedBy(2);
    Duration interval = half.compareTo(MIN_PURGE_INTERVAL) < 0 ? MIN_PURGE_INTERVAL
        : half.compareTo(MAX_PURGE_INTERVAL) > 0 ? MAX_PURGE_INTERVAL : half;
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, timestamp -> metrics.dedupExpired(dedup.purgeExpired(clock.millis())));
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long startedNanos = System.nanoTime();
    IngressStep step = preparer.prepare(new Inbound(record, source()), startedNanos);
    if (step instanceof IngressStep.Prepared prepared) {
      step = admission.admit(prepared);
    }
    if (step instanceof IngressStep.Prepared routed) {
      route(record, routed);
    } else if (step instanceof IngressStep.Reject reject) {
      RejectedRequest rejection = reject.rejection();
      metrics.rejected(rejection.getReason(), rejection.getStage());
      context.forward(record.withValue(rejection), IngressTopology.REJECTED_SINK);
    } else if (step instanceof IngressStep.Answer answer) {
      context.forward(record.withValue(answer.result()), IngressTopology.CACHED_RESULTS_SINK);
    }
  }

  private void route(Record<byte[], byte[]> record, IngressStep.Prepared routed) {
    PreparedRequest request = routed.request();
    context.forward(record.withValue(request), IngressTopology.INFERENCE_SINK);
    metrics.routed(request.getModel(), request.getModelVersion(), false);
    for (ModelDeployment shadow : routed.shadows()) {
      PreparedRequest copy = PreparedRequest.newBuilder(request).setModelVersion(shadow.getVersion()).setShadow(true).build();
      context.forward(record.withValue(copy), IngressTopology.INFERENCE_SINK);
      metrics.routed(copy.getModel(), copy.getModelVersion(), true);
    }
  }

  private SourcePosition source() {
    Optional<RecordMetadata> metadata = context.recordMetadata();
    return metadata.map(m -> new SourcePosition(m.topic(), m.partition(), m.offset())).orElse(null);
  }
}
