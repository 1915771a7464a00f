package dev.sluice.topology.ingress;

import dev.sluice.platform.tracing.TraceMdc;
import dev.sluice.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The request path's span: wraps {@link RequestProcessor} so that each request is handled inside
 * one span, {@value #SPAN}, from the moment it is read (before decoding) until its outcome is
 * forwarded (routed, dead-lettered, answered from the cache, dropped as a retry or passed to the
 * task that owns its key). The span is the child of the record's {@code traceparent} header when it
 * has one (a new trace otherwise), its ids are in the MDC meanwhile ({@link TraceMdc}), and the
 * record the processor sees carries the span's own {@code traceparent} (and {@code tracestate}) in
 * place of the incoming ones, so every record written for the request, routed copies, dead letters,
 * cached answers and reroutes alike, names the ingress span as its parent. A rerouted request's
 * span at its owner is the child of the span of the task that passed it on.
 *
 * <p>With {@link Tracing#off()} the record passes through untouched.
 */
final class TracedRequests implements Processor<byte[], byte[], byte[], Object> {
  /** The name of the request path's span. */
  static final String SPAN = "ingress";

  private final Tracing tracing;
  private final Processor<byte[], byte[], byte[], Object> requests;

  TracedRequests(Tracing tracing, Processor<byte[], byte[], byte[], Object> requests) {
    this.tracing = tracing;
    this.requests = requests;
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    requests.init(context);
  }

  @Override
  public void process(Record<byte[], byte[]> input) {
    Context parent = tracing.extract(input.headers());
    Span span = tracing.tracer().spanBuilder(SPAN).setSpanKind(SpanKind.CONSUMER).setParent(parent).startSpan();
    Record<byte[], byte[]> record = input;
    if (span.getSpanContext().isValid() && !span.getSpanContext().equals(Span.fromContext(parent).getSpanContext())) {
      RecordHeaders headers = new RecordHeaders(input.headers().toArray());
      tracing.inject(parent.with(span), headers);
      record = input.withHeaders(headers);
    }
    try (TraceMdc ids = TraceMdc.of(span.getSpanContext())) {
      requests.process(record);
    } finally {
      span.end();
    }
  }

  @Override
  public void close() {
    requests.close();
  }
}
