package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.SourcePosition;
import dev.sluice.avro.Stage;
import dev.sluice.preprocessing.ContentKeys;
import dev.sluice.preprocessing.EffectiveLimits;
import dev.sluice.preprocessing.IngressDefaults;
import dev.sluice.preprocessing.InputNormalizer;
import dev.sluice.preprocessing.InvalidDeploymentException;
import dev.sluice.preprocessing.NormalizedInput;
import dev.sluice.preprocessing.Outcome;
import dev.sluice.preprocessing.RequestValidator;
import dev.sluice.preprocessing.Route;
import dev.sluice.preprocessing.VersionRouter;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.topics.PipelineTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Stage 1 of the ingress, stateless, before the tenant repartition: decode, route, validate,
 * normalize, prepare. Reads {@code <prefix>.requests} as raw bytes and emits, for every record,
 * exactly one {@link IngressStep.Forward} (a PreparedRequest) or {@link IngressStep.Reject} (a
 * dead letter), keyed by the original key bytes.
 *
 * <ol>
 *   <li>DECODE: the bytes become an InferenceRequest through {@link AvroDeserializer}. Bad bytes
 *       (garbage, wrong magic byte, unknown schema id, malformed Avro, a null value) are
 *       DESERIALIZATION_FAILED with the exception's message, the original key and value bytes and
 *       the source topic, partition and offset. Registry outages are not bad data: they propagate
 *       and the uncaught-exception handler replaces the thread.
 *   <li>ROUTE: the model's versions come from the registry GlobalKTable by prefix scan and
 *       {@link VersionRouter} picks the primary (routing key: the record key as UTF-8, else the
 *       request id). UNKNOWN_MODEL when nothing fits; a blank model is MISSING_FIELD at VALIDATE
 *       since there is nothing to look up; a deployment with unusable limits, or a model name no
 *       topic can carry, is OTHER at ROUTE.
 *   <li>VALIDATE: {@link RequestValidator} against the primary's {@link EffectiveLimits} and the
 *       record's serialized size.
 *   <li>NORMALIZE: {@link InputNormalizer}; then the content key over model and normalized input.
 * </ol>
 *
 * <p>The PreparedRequest names the primary version, its deadline, {@code created_at} (the
 * producer's, else the record timestamp), {@code prepared_at} and the time spent here, the
 * traceparent (the request's, else the W3C {@code traceparent} header) and the source position.
 * The original key and, when the request has an idempotency key, the dedup key travel on as
 * headers ({@link IngressHeaders}).
 */
final class PrepareRequestProcessor implements FixedKeyProcessor<byte[], byte[], IngressStep> {
  private final SchemaRegistryClient registry;
  private final IngressDefaults defaults;
  private final PipelineTopics topics;
  private final Clock clock;
  private final IngressMetrics metrics;
  private final RequestValidator validator;
  private final InputNormalizer normalizer = new InputNormalizer();
  private final VersionRouter router = new VersionRouter();
  private final EffectiveLimits defaultLimits;
  private FixedKeyProcessorContext<byte[], IngressStep> context;
  private AvroDeserializer<InferenceRequest> decoder;
  private ModelRegistryView models;

  PrepareRequestProcessor(SchemaRegistryClient registry, IngressDefaults defaults, PipelineTopics topics, Clock clock, IngressMetrics metrics) {
    this.registry = registry;
    this.defaults = defaults;
    this.topics = topics;
    this.clock = clock;
    this.metrics = metrics;
    this.validator = new RequestValidator(clock);
    this.defaultLimits = new EffectiveLimits(defaults.maxTextChars(), defaults.maxPayloadBytes(), Optional.empty(), Optional.empty(),
        List.of(), defaults.lowercase(), defaults.scaling(), defaults.unknownFeatures());
  }

  @Override
  public void init(FixedKeyProcessorContext<byte[], IngressStep> context) {
    this.context = context;
    this.decoder = new AvroDeserializer<>(InferenceRequest.class, registry);
    this.models = new ModelRegistryView(context.getStateStore(IngressStores.MODELS));
  }

  @Override
  public void process(FixedKeyRecord<byte[], byte[]> record) {
    long startedNanos = System.nanoTime();
    Inbound in = new Inbound(record, source(), null);
    metrics.entered(Stage.DECODE);
    InferenceRequest request = decode(in);
    if (request == null) {
      return;
    }
    metrics.passed(Stage.DECODE);
    in = new Inbound(record, in.source(), request);
    Route route = route(in);
    if (route == null) {
      return;
    }
    EffectiveLimits limits = limits(in, route);
    if (limits == null) {
      return;
    }
    metrics.passed(Stage.ROUTE);
    metrics.entered(Stage.VALIDATE);
    if (refused(in, validator.validate(request, record.value().length, limits), Stage.VALIDATE)) {
      return;
    }
    metrics.passed(Stage.VALIDATE);
    metrics.entered(Stage.NORMALIZE);
    Outcome<NormalizedInput> normalized = normalizer.normalize(request.getInput(), limits);
    if (refused(in, normalized, Stage.NORMALIZE)) {
      return;
    }
    metrics.passed(Stage.NORMALIZE);
    forward(in, route, ((Outcome.Accepted<NormalizedInput>) normalized).value(), startedNanos);
  }

  private InferenceRequest decode(Inbound in) {
    byte[] value = in.record().value();
    String topic = in.source() == null ? topics.requests() : in.source().getTopic();
    if (value == null) {
      reject(in, ReasonCode.DESERIALIZATION_FAILED, Stage.DECODE,
          "Null value (a tombstone) in record from topic " + topic + where(in) + ": an inference request must have a value");
      return null;
    }
    try {
      return decoder.deserialize(topic, value);
    } catch (SerializationException e) {
      reject(in, ReasonCode.DESERIALIZATION_FAILED, Stage.DECODE, located(e, in.source()));
      return null;
    }
  }

  private Route route(Inbound in) {
    InferenceRequest request = in.request();
    String model = request.getModel();
    if (model == null || model.isBlank()) {
      metrics.entered(Stage.VALIDATE);
      Outcome<InferenceRequest> outcome = validator.validate(request, in.record().value().length, defaultLimits);
      String detail = outcome instanceof Outcome.Rejected<InferenceRequest> rejected && rejected.reason() == ReasonCode.MISSING_FIELD
          ? rejected.detail() : "model is missing or blank";
      reject(in, ReasonCode.MISSING_FIELD, Stage.VALIDATE, detail);
      return null;
    }
    metrics.entered(Stage.ROUTE);
    byte[] key = in.record().key();
    String routingKey = key != null && key.length > 0 ? new String(key, StandardCharsets.UTF_8) : request.getRequestId();
    Outcome<Route> outcome = router.route(models.versionsOf(model), model, request.getModelVersion(), routingKey);
    if (refused(in, outcome, Stage.ROUTE)) {
      return null;
    }
    try {
      topics.inference(model);
    } catch (IllegalArgumentException e) {
      reject(in, ReasonCode.OTHER, Stage.ROUTE, "model " + model + " is deployed but cannot be routed: " + e.getMessage());
      return null;
    }
    return ((Outcome.Accepted<Route>) outcome).value();
  }

  private EffectiveLimits limits(Inbound in, Route route) {
    try {
      return EffectiveLimits.of(route.primary(), defaults);
    } catch (InvalidDeploymentException e) {
      reject(in, ReasonCode.OTHER, Stage.ROUTE, e.getMessage());
      return null;
    }
  }

  private void forward(Inbound in, Route route, NormalizedInput normalized, long startedNanos) {
    InferenceRequest request = in.request();
    FixedKeyRecord<byte[], byte[]> record = in.record();
    String contentKey = ContentKeys.contentKey(request.getModel(), normalized.input());
    Headers headers = IngressHeaders.withoutInternal(record.headers());
    if (record.key() != null) {
      headers.add(IngressHeaders.REQUEST_KEY, record.key());
    }
    String idempotencyKey = request.getIdempotencyKey();
    if (idempotencyKey != null && !idempotencyKey.isBlank()) {
      headers.add(IngressHeaders.DEDUP_KEY, ContentKeys.dedupKey(request, contentKey).getBytes(StandardCharsets.UTF_8));
    }
    PreparedRequest prepared = PreparedRequest.newBuilder()
        .setRequestId(request.getRequestId())
        .setModel(request.getModel())
        .setModelVersion(route.primary().getVersion())
        .setTenant(request.getTenant())
        .setInput(normalized.input())
        .setContentKey(contentKey)
        .setTruncated(normalized.truncated())
        .setShadow(false)
        .setDeadline(request.getDeadline())
        .setCreatedAt(request.getCreatedAt() != null ? request.getCreatedAt() : Instant.ofEpochMilli(record.timestamp()))
        .setPreparedAt(Instant.ofEpochMilli(clock.millis()))
        .setPreprocessMs((System.nanoTime() - startedNanos) / 1_000_000.0)
        .setTraceparent(traceparent(in))
        .setSource(in.source())
        .setAttributes(request.getAttributes())
        .build();
    context.forward(record.withValue((IngressStep) new IngressStep.Forward(prepared)).withHeaders(headers));
  }

  private <T> boolean refused(Inbound in, Outcome<T> outcome, Stage stage) {
    if (outcome instanceof Outcome.Rejected<T> rejected) {
      reject(in, rejected.reason(), stage, rejected.detail());
      return true;
    }
    return false;
  }

  private void reject(Inbound in, ReasonCode reason, Stage stage, String detail) {
    FixedKeyRecord<byte[], byte[]> record = in.record();
    InferenceRequest request = in.request();
    RejectedRequest rejection = RejectedRequest.newBuilder()
        .setRequestId(request == null ? null : blankToNull(request.getRequestId()))
        .setModel(request == null ? null : blankToNull(request.getModel()))
        .setTenant(request == null ? null : request.getTenant())
        .setReason(reason)
        .setStage(stage)
        .setDetail(detail)
        .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
        .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
        .setSource(in.source())
        .setRejectedAt(Instant.ofEpochMilli(clock.millis()))
        .setTraceparent(traceparent(in))
        .build();
    metrics.rejected(reason, stage);
    context.forward(record.withValue((IngressStep) new IngressStep.Reject(rejection))
        .withHeaders(IngressHeaders.withoutInternal(record.headers())));
  }

  private SourcePosition source() {
    return context.recordMetadata().map(m -> new SourcePosition(m.topic(), m.partition(), m.offset())).orElse(null);
  }

  private static String traceparent(Inbound in) {
    if (in.request() != null && in.request().getTraceparent() != null) {
      return in.request().getTraceparent();
    }
    return IngressHeaders.text(in.record().headers(), IngressHeaders.TRACEPARENT);
  }

  private static String located(SerializationException failure, SourcePosition source) {
    if (failure instanceof WireFormatException wire && source != null) {
      return wire.withPosition(source.getPartition(), source.getOffset()).getMessage();
    }
    return failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }

  private static String where(Inbound in) {
    return in.source() == null ? "" : " partition " + in.source().getPartition() + " offset " + in.source().getOffset();
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  /** One input record, where it came from, and the request once decoded. */
  private record Inbound(FixedKeyRecord<byte[], byte[]> record, SourcePosition source, InferenceRequest request) {}
}
