package dev.sluice.platform.tracing;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * A span's trace and span ids in the logging MDC ({@value #TRACE_ID}, {@value #SPAN_ID}) while
 * it is open; closing puts back what was there before (nothing, usually), so ids never leak into
 * the log lines of the next record a thread handles. An invalid span context puts nothing.
 */
public final class TraceMdc implements AutoCloseable {
  /** The MDC key of the 32-hex-digit trace id. */
  public static final String TRACE_ID = "trace_id";
  /** The MDC key of the 16-hex-digit span id. */
  public static final String SPAN_ID = "span_id";

  private final boolean put;
  private final String previousTrace;
  private final String previousSpan;

  private TraceMdc(boolean put, String previousTrace, String previousSpan) {
    this.put = put;
    this.previousTrace = previousTrace;
    this.previousSpan = previousSpan;
  }

  /** Puts the ids of {@code span} in the MDC until {@link #close()}. */
  public static TraceMdc of(SpanContext span) {
    if (span == null || !span.isValid()) {
      return new TraceMdc(false, null, null);
    }
    TraceMdc scope = new TraceMdc(true, MDC.get(TRACE_ID), MDC.get(SPAN_ID));
    MDC.put(TRACE_ID, span.getTraceId());
    MDC.put(SPAN_ID, span.getSpanId());
    return scope;
  }

  /** Puts back the ids that were there before. */
  @Override
  public void close() {
    if (!put) {
      return;
    }
    restore(TRACE_ID, previousTrace);
    restore(SPAN_ID, previousSpan);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
