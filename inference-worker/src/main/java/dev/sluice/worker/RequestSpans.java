package dev.sluice.worker;

import dev.sluice.platform.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * Each request's spans in the worker, all children of the span its record's {@code traceparent}
 * header names (the ingress's), else of the request's own {@code traceparent} (a request with
 * neither starts a trace with its queue wait, the parent of its other two spans):
 *
 * <ol>
 *   <li>{@value #QUEUE_WAIT}: from the poll that read it until its batch started (or until it was
 *       answered without inference: expired, unknown version);
 *   <li>{@value #INFERENCE}: its batch's model time, one span per request of the batch with the same
 *       start and end and the batch's size, so every request's chain stays parent and child without
 *       span links;
 *   <li>{@value #PRODUCE}: from its result record being built until the flush's transaction
 *       committed (status ERROR when it aborted); the result record's {@code traceparent} names it.
 * </ol>
 *
 * <p>The queue wait and inference spans take their times from the worker's clock, as its timings
 * do; the produce span is timed by the SDK's clock (the system clock, like the worker's in service).
 */
final class RequestSpans {
  static final String QUEUE_WAIT = "queue wait";
  static final String INFERENCE = "batch inference";
  static final String PRODUCE = "result produce";
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("sluice.request.id");
  static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey("sluice.model.version");
  static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("sluice.batch.size");

  private final Tracing tracing;

  RequestSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  /** The trace context a request came with. */
  Context parent(PolledRecord.Request request) {
    return tracing.extract(request.record().headers(), request.request().getTraceparent());
  }

  /**
   * Records the request's wait, from its poll until {@code until}, and returns the context its
   * later spans descend from: the one it came with, or, for a request that came without one (a
   * producer other than the ingress), the wait's, so its spans still form one trace.
   */
  Context queueWait(Context parent, PolledRecord.Request request, Instant until) {
    Span wait = tracing.tracer().spanBuilder(QUEUE_WAIT).setParent(parent).setStartTimestamp(request.pickedUp())
        .setAttribute(REQUEST_ID, request.request().getRequestId()).startSpan();
    wait.end(until);
    return Span.fromContext(parent).getSpanContext().isValid() ? parent : parent.with(wait);
  }

  /** Records the model time of the batch the request was in. */
  void inference(Context parent, PolledRecord.Request request, Instant start, Instant end, int batchSize) {
    tracing.tracer().spanBuilder(INFERENCE).setParent(parent).setStartTimestamp(start)
        .setAttribute(REQUEST_ID, request.request().getRequestId()).setAttribute(MODEL_VERSION, request.version())
        .setAttribute(BATCH_SIZE, (long) batchSize).startSpan().end(end);
  }

  /** Starts the span of the request's result, now: {@link #ended} ends it once the transaction is over. */
  Span produce(Context parent, PolledRecord.Request request) {
    return tracing.tracer().spanBuilder(PRODUCE).setSpanKind(SpanKind.PRODUCER).setParent(parent)
        .setAttribute(REQUEST_ID, request.request().getRequestId()).startSpan();
  }

  /** Writes the span into a record's headers, in place of the trace context they had. */
  void inject(Span span, Headers headers) {
    tracing.inject(Context.root().with(span), headers);
  }

  /** Ends the produce spans of a flush whose transaction committed, or aborted. */
  static void ended(List<Span> produced, boolean committed) {
    for (Span span : produced) {
      if (!committed) {
        span.setStatus(StatusCode.ERROR, "the transaction aborted or was dropped; the request will be answered again");
      }
      span.end();
    }
  }
}
