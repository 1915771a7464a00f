package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.SourcePosition;
import dev.sluice.avro.Stage;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.DeadLetterBounds;
import dev.sluice.schemas.topics.RecordBudget;
import dev.sluice.schemas.topics.Replies;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole request path, in the task of each partition of {@code <prefix>.requests}: reads the
 * raw record, lets {@link RequestPreparer} decode, route, validate and normalize it, encodes the
 * prepared request and its shadow copies ({@link OutputEncoder}: one that would not fit in a
 * record is a dead letter, PAYLOAD_TOO_LARGE, before admission spends a token or remembers its
 * idempotency key), lets {@link RequestAdmission} rate-limit, de-duplicate and look it up in the
 * result cache, and writes the one outcome: a dead letter to {@value IngressTopology#REJECTED_SINK},
 * a cached answer to {@value IngressTopology#CACHED_RESULTS_SINK}, nothing for a dropped retry, or
 * the prepared request, plus one copy per shadow version (version set, {@code shadow = true}), to
 * {@value IngressTopology#INFERENCE_SINK}. Shadow copies are extra, not outcomes. A request that
 * names a reply partition ({@code Replies}) also has its dead letter, cached answer or dropped
 * retry copied to {@value IngressTopology#REPLIES_SINK}; a routed one gets its reply from the worker.
 *
 * <p>A request whose idempotency key another task owns ({@link KeyOwnership}) goes no further
 * here: its key is read from the bytes ({@link IdempotencyKeyPeek}, decoding in full only when
 * the writer's layout is unknown), its original bytes go to {@value IngressTopology#REROUTE_SINK},
 * on the owner's partition, and that task, reading them from its second source, runs the whole
 * path on them (its outcome is the request's one outcome; its source position is the original's;
 * DECODE is counted once, where the record was decoded first). A record too large to be written
 * again (one the broker took compressed) is not passed on: it is refused here (PAYLOAD_TOO_LARGE
 * at ROUTE), so no send can fail and abort the transaction and no key is remembered by the wrong
 * task. A producer's own {@value KeyOwnership#ORIGIN_HEADER} header is dropped on input.
 *
 * <p>No record can stop the stream thread: an unexpected exception from the path's own logic on
 * one record ({@link FailureClassifier#isRecordFault}) is logged, counted in
 * {@value IngressMetrics#RECORD_FAILURES} and becomes a dead letter with reason OTHER; Kafka,
 * Kafka Streams and registry failures propagate to the uncaught-exception handler.
 *
 * <p>Every output keeps the input record's key bytes, timestamp and headers; a dead letter keeps
 * what {@link DeadLetterBounds} allows of them, so it always fits. A wall-clock punctuator purges
 * expired dedup entries.
 */
final class RequestProcessor implements Processor<byte[], byte[], byte[], Object> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);
  private static final Duration MIN_PURGE_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_PURGE_INTERVAL = Duration.ofMinutes(1);

  private final IngressConfig config;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private final IngressMetrics metrics;
  private final OutputEncoder encoder;
  private final KeyOwnership owners;
  private final IdempotencyKeyPeek peeker;
  private final RecordBudget budget;
  private final QuietSpell quietSpell;
  private ProcessorContext<byte[], Object> context;
  private RequestPreparer preparer;
  private RequestAdmission admission;

  RequestProcessor(IngressConfig config, SchemaRegistryClient registry, Clock clock, IngressMetrics metrics, QuietSpell quietSpell) {
    this.config = config;
    this.quietSpell = quietSpell;
    this.registry = registry;
    this.clock = clock;
    this.metrics = metrics;
    this.budget = RecordBudget.of(config.streamsProperties());
    this.encoder = new OutputEncoder(new AvroSerializer<>(registry), budget);
    this.owners = new KeyOwnership(config.requiredRequestPartitions());
    this.peeker = new IdempotencyKeyPeek(registry);
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    ModelRegistryView models = new ModelRegistryView(context.getStateStore(IngressStores.MODELS),
        new AvroDeserializer<>(ModelDeployment.class, registry), config.topics().models());
    this.preparer = new RequestPreparer(new AvroDeserializer<>(InferenceRequest.class, registry), models, config, clock, metrics);
    DedupWindow dedup = new DedupWindow(context.getStateStore(IngressStores.DEDUP), context.getStateStore(IngressStores.DEDUP_EXPIRY),
        config.dedupTtl().toMillis());
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
  public void process(Record<byte[], byte[]> input) {
    if (quietSpell.endedBy(clock.millis())) {
      context.commit();
    }
    Optional<RecordMetadata> metadata = context.recordMetadata();
    boolean rerouted = metadata.isPresent() && metadata.get().topic().equals(config.topics().reroutedRequests());
    KeyOwnership.Origin origin = rerouted ? KeyOwnership.origin(input.headers(), config.topics().requests()) : null;
    boolean reservedHeader = rerouted || input.headers().lastHeader(KeyOwnership.ORIGIN_HEADER) != null;
    Record<byte[], byte[]> record = reservedHeader ? input.withHeaders(KeyOwnership.withoutOrigin(input.headers())) : input;
    RequestRecord raw = new RequestRecord(record, rerouted ? origin.source() : source(metadata));
    int partition = context.taskId().partition();
    List<EncodedValue> copies = new ArrayList<>(1);
    IngressStep step;
    try {
      boolean mayReroute = !rerouted && owners.partitioned();
      if (mayReroute) {
        IdempotencyKeyPeek.Peek peek = peeker.peek(record.value());
        if (peek.readable() && owners.ownedElsewhere(peek.key(), partition)) {
          passOn(record, peek.key(), raw, false);
          return;
        }
      }
      step = preparer.decode(raw, !(rerouted && origin.decoded()));
      if (step instanceof IngressStep.Decoded decoded) {
        String key = decoded.in().request().getIdempotencyKey();
        if (mayReroute && owners.ownedElsewhere(key, partition)) {
          passOn(record, key, decoded.in(), true);
          return;
        }
        step = preparer.prepareDecoded(decoded.in(), raw.startedNanos());
      }
      if (step instanceof IngressStep.Prepared prepared) {
        OutputEncoder.Encoding.Refused refused = encodeCopies(prepared, copies);
        step = refused != null ? reject(prepared.in(), refused) : admission.admit(prepared);
      }
    } catch (RuntimeException e) {
      if (!FailureClassifier.isRecordFault(e)) {
        throw e;
      }
      step = failed(raw, e);
    }
    if (step instanceof IngressStep.Answer answer) {
      OutputEncoder.Encoding encoded = encoder.encode(config.topics().results(), answer.result(), record.key(), record.headers(),
          "the cached answer");
      if (encoded instanceof OutputEncoder.Encoding.Encoded value) {
        context.forward(record.withValue(value.value()), IngressTopology.CACHED_RESULTS_SINK);
        reply(record, answer.result().getRequestId(), Replies.RESULT, value.value());
        metrics.answered(IngressMetrics.Outcome.CACHED, raw.startedNanos());
        return;
      }
      step = reject(answer.in(), (OutputEncoder.Encoding.Refused) encoded);
    }
    if (step instanceof IngressStep.Prepared routed) {
      route(record, routed, copies);
    } else if (step instanceof IngressStep.Reject reject) {
      deadLetter(record, reject.rejection(), raw);
    } else if (step instanceof IngressStep.Dropped dropped) {
      reply(record, dropped.requestId(), Replies.DUPLICATE, null);
      metrics.answered(IngressMetrics.Outcome.DROPPED, raw.startedNanos());
    }
  }

  /** Copies an outcome to the reply partition the request named, if it named one ({@link Replies}). */
  private void reply(Record<byte[], byte[]> record, String requestId, String kind, Object value) {
    int partition = Replies.requestedPartition(record.headers());
    if (partition >= 0) {
      context.forward(new Record<byte[], Object>(Replies.key(requestId), new ReplyCopy(partition, value), record.timestamp(),
          Replies.headers(kind)), IngressTopology.REPLIES_SINK);
    }
  }

  /** Encodes the primary and the shadow copies, in that order, into {@code values}; or says why one cannot be produced. */
  private OutputEncoder.Encoding.Refused encodeCopies(IngressStep.Prepared prepared, List<EncodedValue> values) {
    PreparedRequest request = prepared.request();
    Record<byte[], byte[]> record = prepared.in().record();
    String topic = config.topics().inference(request.getModel());
    List<PreparedRequest> all = new ArrayList<>(1 + prepared.shadows().size());
    all.add(request);
    for (ModelDeployment shadow : prepared.shadows()) {
      all.add(PreparedRequest.newBuilder(request).setModelVersion(shadow.getVersion()).setShadow(true).build());
    }
    for (PreparedRequest copy : all) {
      OutputEncoder.Encoding encoded = encoder.encode(topic, copy, record.key(), record.headers(),
          copy.getShadow() ? "the shadow copy for version " + copy.getModelVersion() : "the prepared request");
      if (encoded instanceof OutputEncoder.Encoding.Refused refused) {
        return refused;
      }
      values.add(((OutputEncoder.Encoding.Encoded) encoded).value());
    }
    return null;
  }

  /**
   * Passes a request to the task that owns its idempotency key: the original's key, bytes,
   * timestamp and headers, and where it was read (and whether it was decoded here). One too large
   * to be written again (one the broker took compressed) is refused instead: processing it here
   * would remember its key in the wrong task, and passing it on would fail the send and abort the
   * transaction.
   */
  private void passOn(Record<byte[], byte[]> record, String idempotencyKey, RequestRecord in, boolean decoded) {
    if (RecordBudget.sizeBound(record.key(), record.value(), record.headers()) + KeyOwnership.ORIGIN_HEADER_ROOM
        > budget.maxRecordBytes()) {
      tooLargeToPass(record, in);
      return;
    }
    metrics.rerouted();
    context.forward(new Record<byte[], Object>(record.key(), new KeyOwnership.Rerouted(record.value(), idempotencyKey),
        record.timestamp(), KeyOwnership.withOrigin(record.headers(), in.source(), decoded)), IngressTopology.REROUTE_SINK);
  }

  /** The dead letter of a request {@link #passOn} cannot write again. */
  private void tooLargeToPass(Record<byte[], byte[]> record, RequestRecord in) {
    RejectedRequest rejection = DeadLetters.of(in, ReasonCode.PAYLOAD_TOO_LARGE, Stage.ROUTE,
        "the request cannot be passed to the task that owns its idempotency key: "
            + budget.excess(record.key(), record.value(), record.headers()).orElse("it is too large to be written again")
            + "; send it with its idempotency key as the record key, or smaller", clock.millis());
    deadLetter(record, rejection, in);
  }

  /** Writes a dead letter, counted and timed, and its copy for a caller waiting on a reply partition. */
  private void deadLetter(Record<byte[], byte[]> record, RejectedRequest rejection, RequestRecord in) {
    metrics.rejected(rejection.getReason(), rejection.getStage());
    context.forward(new Record<byte[], Object>(DeadLetterBounds.recordKey(record.key()), rejection, record.timestamp(),
        DeadLetterBounds.headers(record.headers())), IngressTopology.REJECTED_SINK);
    reply(record, rejection.getRequestId(), Replies.REJECTED, rejection);
    metrics.answered(IngressMetrics.Outcome.REJECTED, in.startedNanos());
  }

  private void route(Record<byte[], byte[]> record, IngressStep.Prepared routed, List<EncodedValue> copies) {
    PreparedRequest request = routed.request();
    for (int i = 0; i < copies.size(); i++) {
      context.forward(record.withValue(copies.get(i)), IngressTopology.INFERENCE_SINK);
      metrics.routed(request.getModel(), i == 0 ? request.getModelVersion() : routed.shadows().get(i - 1).getVersion(), i > 0);
    }
    metrics.answered(IngressMetrics.Outcome.ROUTED, routed.in().startedNanos());
  }

  private IngressStep.Reject reject(RequestRecord in, OutputEncoder.Encoding.Refused refused) {
    return new IngressStep.Reject(DeadLetters.of(in, refused.reason(), Stage.ROUTE, refused.detail(), clock.millis()));
  }

  private IngressStep.Reject failed(RequestRecord raw, RuntimeException failure) {
    metrics.recordFailed();
    SourcePosition source = raw.source();
    LOG.error("The request path failed on the record at {}; dead-lettering it with reason OTHER", source, failure);
    return new IngressStep.Reject(DeadLetters.of(raw, ReasonCode.OTHER, Stage.OTHER,
        "the ingress failed on this record: " + failure, clock.millis()));
  }

  private static SourcePosition source(Optional<RecordMetadata> metadata) {
    return metadata.map(m -> new SourcePosition(m.topic(), m.partition(), m.offset())).orElse(null);
  }
}
