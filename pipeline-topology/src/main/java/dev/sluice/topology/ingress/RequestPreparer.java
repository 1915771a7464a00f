package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.SourcePosition;
import dev.sluice.avro.Stage;
import dev.sluice.preprocessing.ContentKeys;
import dev.sluice.preprocessing.EffectiveLimits;
import dev.sluice.preprocessing.IngressDefaults;
import dev.sluice.preprocessing.InputNormalizer;
import dev.sluice.preprocessing.NormalizedInput;
import dev.sluice.preprocessing.Outcome;
import dev.sluice.preprocessing.WireText;
import dev.sluice.preprocessing.RequestValidator;
import dev.sluice.preprocessing.TimestampRange;
import dev.sluice.preprocessing.Route;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.topics.PipelineTopics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The stateless first half of the request path: decode, route, validate, normalize, prepare.
 * Ends every record as an {@link IngressStep.Prepared} or an {@link IngressStep.Reject}.
 *
 * <ol>
 *   <li>DECODE: the bytes become an InferenceRequest. Bad bytes (garbage, wrong magic byte,
 *       unknown schema id, malformed Avro, a null value) are DESERIALIZATION_FAILED with the
 *       exception's message, the original key and value bytes and the source topic, partition
 *       and offset. Registry outages are not bad data: they propagate and the uncaught-exception
 *       handler replaces the thread.
 *   <li>ROUTE: one read of the model's versions from the registry ({@link ModelRegistryView})
 *       gives the primary version (routing key: the record key as UTF-8, else the request id)
 *       and the shadow versions. UNKNOWN_MODEL when nothing fits; a blank model is MISSING_FIELD
 *       at VALIDATE since there is nothing to look up; a deployment with unusable limits, or a
 *       model name no topic can carry, is OTHER at ROUTE.
 *   <li>VALIDATE: {@link RequestValidator} against the primary's {@link EffectiveLimits} and the
 *       record's serialized size.
 *   <li>NORMALIZE: {@link InputNormalizer}; then the content key over model and normalized input,
 *       and the dedup key when the request has an idempotency key.
 * </ol>
 *
 * <p>The PreparedRequest names the primary version, its deadline, {@code created_at} (the
 * producer's, else the record timestamp when it lies in the {@link TimestampRange}, else now), {@code prepared_at} and the time spent here, the
 * traceparent (the request's, else the W3C {@code traceparent} header) and the source position.
 */
final class RequestPreparer {
  private final Deserializer<InferenceRequest> decoder;
  private final ModelRegistryView models;
  private final IngressDefaults defaults;
  private final PipelineTopics topics;
  private final Clock clock;
  private final IngressMetrics metrics;
  private final RequestValidator validator;
  private final TimestampRange timestamps;
  private final InputNormalizer normalizer = new InputNormalizer();
  private final EffectiveLimits defaultLimits;

  RequestPreparer(Deserializer<InferenceRequest> decoder, ModelRegistryView models, IngressConfig config, Clock clock,
      IngressMetrics metrics) {
    this.decoder = decoder;
    this.models = models;
    this.defaults = config.defaults();
    this.topics = config.topics();
    this.clock = clock;
    this.metrics = metrics;
    this.validator = new RequestValidator(clock, config.timestamps());
    this.timestamps = config.timestamps();
    this.defaultLimits = new EffectiveLimits(defaults.maxTextChars(), defaults.maxPayloadBytes(), Optional.empty(), Optional.empty(),
        List.of(), defaults.lowercase(), defaults.scaling(), defaults.unknownFeatures());
  }

  /**
   * DECODE alone: an {@link IngressStep.Decoded} or a {@link IngressStep.Reject}.
   *
   * @param counted whether the record enters the stage meters here; false for a record another
   *     task decoded already and passed on (its DECODE was counted there)
   */
  IngressStep decode(RequestRecord raw, boolean counted) {
    if (counted) {
      metrics.entered(Stage.DECODE);
    }
    byte[] value = raw.record().value();
    String topic = raw.source() == null ? topics.requests() : raw.source().getTopic();
    if (value == null) {
      return reject(raw, ReasonCode.DESERIALIZATION_FAILED, Stage.DECODE,
          "Null value (a tombstone) in record from topic " + topic + where(raw.source()) + ": an inference request must have a value");
    }
    InferenceRequest request;
    try {
      request = decoder.deserialize(topic, value);
    } catch (SerializationException e) {
      return reject(raw, ReasonCode.DESERIALIZATION_FAILED, Stage.DECODE, located(e, raw.source()));
    }
    if (counted) {
      metrics.passed(Stage.DECODE);
    }
    return new IngressStep.Decoded(raw.decoded(request));
  }

  /** ROUTE, VALIDATE and NORMALIZE of a decoded record: an {@link IngressStep.Prepared} or a {@link IngressStep.Reject}. */
  IngressStep prepareDecoded(RequestRecord in, long startedNanos) {
    InferenceRequest request = in.request();
    byte[] value = in.record().value();
    String model = request.getModel();
    if (model == null || model.isBlank()) {
      metrics.entered(Stage.VALIDATE);
      Outcome<InferenceRequest> outcome = validator.validate(request, value.length, defaultLimits);
      String detail = outcome instanceof Outcome.Rejected<InferenceRequest> rejected && rejected.reason() == ReasonCode.MISSING_FIELD
          ? rejected.detail() : "model is missing or blank";
      return reject(in, ReasonCode.MISSING_FIELD, Stage.VALIDATE, detail);
    }
    metrics.entered(Stage.ROUTE);
    DeployedModel deployed = models.modelOf(model);
    Outcome<Route> routed = deployed.routes().route(request.getModelVersion(), routingKey(in));
    if (routed instanceof Outcome.Rejected<Route> refused) {
      return reject(in, refused.reason(), Stage.ROUTE, refused.detail());
    }
    try {
      topics.inference(model);
    } catch (IllegalArgumentException e) {
      return reject(in, ReasonCode.OTHER, Stage.ROUTE, "model " + model + " is deployed but cannot be routed: " + e.getMessage());
    }
    Route route = ((Outcome.Accepted<Route>) routed).value();
    Outcome<EffectiveLimits> limitsOutcome = deployed.limitsOf(route.primary(), defaults);
    if (limitsOutcome instanceof Outcome.Rejected<EffectiveLimits> unusable) {
      return reject(in, unusable.reason(), Stage.ROUTE, unusable.detail());
    }
    EffectiveLimits limits = ((Outcome.Accepted<EffectiveLimits>) limitsOutcome).value();
    metrics.passed(Stage.ROUTE);

    metrics.entered(Stage.VALIDATE);
    Outcome<InferenceRequest> valid = validator.validate(request, value.length, limits);
    if (valid instanceof Outcome.Accepted<InferenceRequest>) {
      valid = WireText.check(request, value);
    }
    if (valid instanceof Outcome.Rejected<InferenceRequest> invalid) {
      return reject(in, invalid.reason(), Stage.VALIDATE, invalid.detail());
    }
    metrics.passed(Stage.VALIDATE);
    metrics.entered(Stage.NORMALIZE);
    Outcome<NormalizedInput> normalized = normalizer.normalize(request.getInput(), limits);
    if (normalized instanceof Outcome.Rejected<NormalizedInput> unnormalizable) {
      return reject(in, unnormalizable.reason(), Stage.NORMALIZE, unnormalizable.detail());
    }
    metrics.passed(Stage.NORMALIZE);
    return prepared(in, route, cacheAlternates(deployed, request, route), ((Outcome.Accepted<NormalizedInput>) normalized).value(),
        startedNanos);
  }

  /** The other serving versions whose cached answers may serve an unpinned request; none for a pinned one. */
  private static List<String> cacheAlternates(DeployedModel deployed, InferenceRequest request, Route route) {
    if (request.getModelVersion() != null && !request.getModelVersion().isBlank()) {
      return List.of();
    }
    List<String> serving = deployed.routes().servingVersions();
    if (serving.size() < 2) {
      return List.of();
    }
    String primary = route.primary().getVersion();
    return serving.stream().filter(version -> !version.equals(primary)).toList();
  }

  private IngressStep.Prepared prepared(RequestRecord in, Route route, List<String> cacheAlternates, NormalizedInput normalized,
      long startedNanos) {
    InferenceRequest request = in.request();
    Record<byte[], byte[]> record = in.record();
    String contentKey = ContentKeys.contentKey(request.getModel(), normalized.input());
    String idempotencyKey = request.getIdempotencyKey();
    String dedupKey = idempotencyKey != null && !idempotencyKey.isBlank() ? ContentKeys.dedupKey(request, contentKey) : null;
    Instant now = Instant.ofEpochMilli(clock.millis());
    PreparedRequest prepared = new PreparedRequest(
        request.getRequestId(),
        request.getModel(),
        route.primary().getVersion(),
        request.getTenant(),
        normalized.input(),
        contentKey,
        normalized.truncated(),
        false,
        request.getDeadline(),
        createdAt(request, record, now),
        now,
        (System.nanoTime() - startedNanos) / 1_000_000.0,
        in.traceparent(),
        in.source(),
        request.getAttributes());
    return new IngressStep.Prepared(in, prepared, route.shadows(), dedupKey, cacheAlternates);
  }

  /** The request's created_at (validated), else the record's timestamp when it is in range, else now. */
  private Instant createdAt(InferenceRequest request, Record<byte[], byte[]> record, Instant now) {
    if (request.getCreatedAt() != null) {
      return request.getCreatedAt();
    }
    Instant stamped = Instant.ofEpochMilli(record.timestamp());
    return timestamps.contains(stamped, now) ? stamped : now;
  }

  private IngressStep.Reject reject(RequestRecord in, ReasonCode reason, Stage stage, String detail) {
    return new IngressStep.Reject(DeadLetters.of(in, reason, stage, detail, clock.millis()));
  }

  private static String routingKey(RequestRecord in) {
    byte[] key = in.record().key();
    return key != null && key.length > 0 ? new String(key, StandardCharsets.UTF_8) : in.request().getRequestId();
  }

  private static String located(SerializationException failure, SourcePosition source) {
    if (failure instanceof WireFormatException wire && source != null) {
      return wire.withPosition(source.getPartition(), source.getOffset()).getMessage();
    }
    return failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }

  private static String where(SourcePosition source) {
    return source == null ? "" : " partition " + source.getPartition() + " offset " + source.getOffset();
  }
}
