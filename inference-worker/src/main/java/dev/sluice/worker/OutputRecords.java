package dev.sluice.worker;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.SourcePosition;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import dev.sluice.schemas.topics.DeadLetterBounds;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.RecordBudget;
import dev.sluice.schemas.topics.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns outcomes into the records the worker produces:
 *
 * <ul>
 *   <li>an {@link InferenceResult} per request on {@code <prefix>.results} (shadow copies on
 *       {@code <prefix>.results.shadow}), keyed by the consumed record's key, with the W3C
 *       {@value #TRACEPARENT} header when the request carried a trace;
 *   <li>a {@link MetricEvent} per request outcome and per model batch on
 *       {@code <prefix>.metrics.events}, keyed {@code model/version};
 *   <li>a {@link RejectedRequest} (DESERIALIZATION_FAILED at stage DECODE, original bytes and
 *       position) on {@code <prefix>.requests.rejected} for a record that is not a readable
 *       PreparedRequest, or (OTHER) for one whose answer could not be built; it keeps what
 *       {@link DeadLetterBounds} allows of the original, so it always fits.
 * </ul>
 *
 * <p>Timings are computed without overflow for any instants a request carries, and
 * {@link #excess} tells whether a record is within the producer's {@link RecordBudget}.
 */
final class OutputRecords {
  /** The W3C trace-context header. */
  static final String TRACEPARENT = "traceparent";
  private static final double NANOS_PER_MS = 1_000_000.0;

  private final PipelineTopics topics;
  private final String workerId;
  private final Serializer<Object> avro;
  private final RecordBudget budget;

  OutputRecords(PipelineTopics topics, String workerId, Serializer<Object> avro, RecordBudget budget) {
    this.topics = topics;
    this.workerId = workerId;
    this.avro = avro;
    this.budget = budget;
  }

  /** The result of one request. */
  InferenceResult result(PolledRecord.Request in, InferenceOutcome outcome, Instant completedAt) {
    PreparedRequest request = in.request();
    InferenceResult.Builder result = InferenceResult.newBuilder()
        .setRequestId(request.getRequestId()).setModel(request.getModel()).setModelVersion(request.getModelVersion())
        .setCached(false).setShadow(request.getShadow()).setContentKey(request.getContentKey())
        .setWorkerId(workerId).setTenant(request.getTenant()).setTraceparent(traceparent(in))
        .setCompletedAt(completedAt).setAttributes(request.getAttributes())
        .setTimings(Timings.newBuilder().setQueuedMs(queuedMs(in)).setPreprocessMs(request.getPreprocessMs())
            .setInferenceMs(inferenceNanos(outcome) / NANOS_PER_MS).setEndToEndMs(millisBetween(request.getCreatedAt(), completedAt)).build());
    if (outcome instanceof InferenceOutcome.Ok ok) {
      result.setStatus(Status.OK).setOutput(ok.output()).setBatchSize(ok.batchSize()).setInputTokens(ok.inputTokens() < 0 ? null : ok.inputTokens())
          .setEndpoint(ok.endpoint());
    } else if (outcome instanceof InferenceOutcome.Failed failed) {
      result.setStatus(Status.ERROR).setError(failed.error()).setBatchSize(failed.batchSize());
    } else if (outcome instanceof InferenceOutcome.Expired expired) {
      result.setStatus(Status.EXPIRED).setBatchSize(0)
          .setError("deadline " + expired.deadline() + (expired.inFlight() ? " passed while the model's endpoint was answering; its answer is not used"
              : " passed before inference") + " (picked up " + in.pickedUp() + ")");
    }
    return result.build();
  }

  /** The record of a result, on the results or shadow-results topic. */
  ProducerRecord<byte[], byte[]> resultRecord(PolledRecord.Request in, InferenceResult result) {
    String topic = result.getShadow() ? topics.shadowResults() : topics.results();
    Headers headers = new RecordHeaders();
    if (result.getTraceparent() != null) {
      headers.add(TRACEPARENT, result.getTraceparent().getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(topic, null, in.record().key(), avro.serialize(topic, result), headers);
  }

  /**
   * The copy of a request's outcome on its reply partition ({@link Replies}), when it asked for
   * one; never for a shadow copy.
   *
   * @param outcome the result or dead letter record as produced on its own topic
   * @param kind {@link Replies#RESULT} or {@link Replies#REJECTED}
   */
  Optional<ProducerRecord<byte[], byte[]>> replyCopy(PolledRecord.Request in, ProducerRecord<byte[], byte[]> outcome, String kind) {
    if (in.replyPartition() < 0) {
      return Optional.empty();
    }
    return Optional.of(Replies.copy(topics.replies(), in.replyPartition(), in.request().getRequestId(), kind, outcome.value()));
  }

  /** The metric event of one request's outcome. */
  ProducerRecord<byte[], byte[]> requestEvent(InferenceResult result) {
    Timings timings = result.getTimings();
    MetricEvent event = MetricEvent.newBuilder().setKind(MetricKind.REQUEST).setModel(result.getModel())
        .setModelVersion(result.getModelVersion()).setWorkerId(workerId).setEventTime(result.getCompletedAt())
        .setRequestId(result.getRequestId()).setStatus(result.getStatus()).setCached(false).setShadow(result.getShadow())
        .setQueuedMs(timings.getQueuedMs()).setInferenceMs(timings.getInferenceMs()).setEndToEndMs(timings.getEndToEndMs())
        .setBatchSize(result.getBatchSize()).setEndpoint(result.getEndpoint()).build();
    return metricRecord(event);
  }

  /**
   * The metric event of one model batch: queue time is its oldest member's, the device is the
   * runner's, and the counts are its members' outcomes by status.
   */
  ProducerRecord<byte[], byte[]> batchEvent(List<PolledRecord.Request> batch, BatchExecutor.Executed executed, String device,
      Instant completedAt) {
    PreparedRequest first = batch.get(0).request();
    double oldestQueuedMs = batch.stream().mapToDouble(OutputRecords::queuedMs).max().orElse(0.0);
    MetricEvent event = MetricEvent.newBuilder().setKind(MetricKind.BATCH).setModel(first.getModel())
        .setModelVersion(first.getModelVersion()).setWorkerId(workerId).setEventTime(completedAt).setShadow(first.getShadow())
        .setQueuedMs(oldestQueuedMs).setInferenceMs(executed.inferenceNanos() / NANOS_PER_MS).setBatchSize(batch.size())
        .setRealTokens(executed.realTokens()).setPaddedTokens(executed.paddedTokens()).setDevice(device)
        .setOkCount(count(executed.outcomes(), InferenceOutcome.Ok.class)).setErrorCount(count(executed.outcomes(), InferenceOutcome.Failed.class))
        .setExpiredCount(count(executed.outcomes(), InferenceOutcome.Expired.class)).setEndpoint(executed.endpoint()).build();
    return metricRecord(event);
  }

  private static int count(List<InferenceOutcome> outcomes, Class<? extends InferenceOutcome> kind) {
    return (int) outcomes.stream().filter(kind::isInstance).count();
  }

  /** The dead letter of a record that is not a readable PreparedRequest. */
  ProducerRecord<byte[], byte[]> deadLetter(PolledRecord.Undecodable in, String model, Instant now) {
    return deadLetter(in, model, ReasonCode.DESERIALIZATION_FAILED, Stage.DECODE,
        "inference worker " + workerId + " could not read a prepared request: " + in.failure().getMessage(), now);
  }

  /**
   * The dead letter of a consumed record: the reason, the detail, the original key and value (as
   * much as {@link DeadLetterBounds} keeps, so it always fits) and the source position.
   */
  ProducerRecord<byte[], byte[]> deadLetter(PolledRecord in, String model, ReasonCode reason, Stage stage, String detail, Instant now) {
    ConsumerRecord<byte[], byte[]> record = in.record();
    RejectedRequest.Builder rejected = RejectedRequest.newBuilder().setModel(model).setReason(reason).setStage(stage).setDetail(detail)
        .setSource(new SourcePosition(record.topic(), record.partition(), record.offset()))
        .setRejectedAt(now).setTraceparent(header(record.headers()));
    if (in instanceof PolledRecord.Request request) {
      rejected.setRequestId(request.request().getRequestId()).setTenant(request.request().getTenant());
    }
    String topic = topics.rejected();
    return new ProducerRecord<>(topic, DeadLetterBounds.recordKey(record.key()),
        avro.serialize(topic, DeadLetterBounds.bounded(rejected, record.key(), record.value())));
  }

  /** Why a record cannot be produced (over the producer's {@code max.request.size}), or empty when it can. */
  Optional<String> excess(ProducerRecord<byte[], byte[]> record) {
    return budget.excess(record.key(), record.value(), record.headers());
  }

  /** Milliseconds from the request's creation until the worker picked it up, never negative. */
  static double queuedMs(PolledRecord.Request in) {
    return millisBetween(in.request().getCreatedAt(), in.pickedUp());
  }

  private ProducerRecord<byte[], byte[]> metricRecord(MetricEvent event) {
    String topic = topics.metricEvents();
    byte[] key = (event.getModel() + "/" + event.getModelVersion()).getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, key, avro.serialize(topic, event));
  }

  private static long inferenceNanos(InferenceOutcome outcome) {
    if (outcome instanceof InferenceOutcome.Ok ok) {
      return ok.inferenceNanos();
    }
    if (outcome instanceof InferenceOutcome.Failed failed) {
      return failed.inferenceNanos();
    }
    return 0;
  }

  private static String traceparent(PolledRecord.Request in) {
    String carried = in.request().getTraceparent();
    return carried != null && !carried.isBlank() ? carried : header(in.record().headers());
  }

  private static String header(Headers headers) {
    Header header = headers.lastHeader(TRACEPARENT);
    return header == null || header.value() == null || header.value().length == 0 ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Milliseconds from one instant to another, never negative. Works for any two instants Avro can
   * carry (a request may claim any {@code created_at}): seconds and nanos are taken apart, so
   * nothing overflows.
   */
  static double millisBetween(Instant from, Instant to) {
    if (from == null || to == null) {
      return 0.0;
    }
    Duration between = Duration.between(from, to);
    return Math.max(0.0, between.getSeconds() * 1000.0 + between.getNano() / NANOS_PER_MS);
  }
}
