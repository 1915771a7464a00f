package dev.sluice.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String PARENT = "00-" + TRACE + "-b7ad6b7169203331-01";

  @Test
  void aSpanStartedFromHeadersIsTheChildOfTheirTraceparentAndReplacesIt() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (Tracing tracing = Tracing.with(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())) {
      RecordHeaders headers = headers("traceparent", PARENT, "tracestate", "vendor=1");
      Span span = tracing.tracer().spanBuilder("stage").setParent(tracing.extract(headers)).startSpan();
      tracing.inject(Context.root().with(span), headers);
      span.end();

      SpanData data = exporter.getFinishedSpanItems().get(0);
      assertThat(data.getTraceId()).isEqualTo(TRACE);
      assertThat(data.getParentSpanId()).isEqualTo("b7ad6b7169203331");
      assertThat(headers.headers("traceparent")).hasSize(1);
      assertThat(text(headers, "traceparent")).isEqualTo("00-" + TRACE + "-" + data.getSpanId() + "-01");
      assertThat(text(headers, "tracestate")).isEqualTo("vendor=1");
    }
  }

  @Test
  void withoutAnExporterSpansStillGetRealIdsAndANewTraceWithoutAParent() {
    try (Tracing tracing = Tracing.start(TracingSettings.notExported("sluice-test"))) {
      RecordHeaders headers = new RecordHeaders();
      Span span = tracing.tracer().spanBuilder("stage").setParent(tracing.extract(headers)).startSpan();
      tracing.inject(Context.root().with(span), headers);
      span.end();

      assertThat(span.getSpanContext().isValid()).isTrue();
      assertThat(text(headers, "traceparent")).isEqualTo(tracing.traceparent(span.getSpanContext()));
    }
  }

  @Test
  void fallsBackToATraceparentValueWhenTheHeadersCarryNone() {
    Tracing tracing = Tracing.off();
    SpanContext parent = Span.fromContext(tracing.extract(new RecordHeaders(), PARENT)).getSpanContext();

    assertThat(parent.getTraceId()).isEqualTo(TRACE);
    assertThat(parent.getSpanId()).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void offCarriesTheParentOnUnchanged() {
    Tracing tracing = Tracing.off();
    RecordHeaders headers = headers("traceparent", PARENT);
    Span span = tracing.tracer().spanBuilder("stage").setParent(tracing.extract(headers)).startSpan();
    tracing.inject(Context.root().with(span), headers);

    assertThat(text(headers, "traceparent")).isEqualTo(PARENT);
    assertThat(headers.headers("traceparent")).hasSize(1);
  }

  @Test
  void theMdcHoldsASpansIdsWhileOpenAndWhatWasThereBeforeAfterwards() {
    SpanContext span = Span.fromContext(Tracing.off().extract(headers("traceparent", PARENT))).getSpanContext();
    MDC.remove(TraceMdc.TRACE_ID);
    try (TraceMdc scope = TraceMdc.of(span)) {
      assertThat(MDC.get(TraceMdc.TRACE_ID)).isEqualTo(TRACE);
      assertThat(MDC.get(TraceMdc.SPAN_ID)).isEqualTo("b7ad6b7169203331");
    }
    assertThat(MDC.get(TraceMdc.TRACE_ID)).isNull();
    assertThat(MDC.get(TraceMdc.SPAN_ID)).isNull();
  }

  private static RecordHeaders headers(String... namesAndValues) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static String text(RecordHeaders headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
