package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.platform.tracing.TraceMdc;
import dev.sluice.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** The request path's span: the child of the record's traceparent, and the parent every output names. */
class IngressTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @TempDir Path stateDir;
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracing tracing = Tracing.with(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build());
  private IngressHarness ingress;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir, Map.of(), tracing);
    ingress.deploy(MODEL, "v1", 1.0);
  }

  @AfterEach
  void stop() {
    ingress.close();
    tracing.close();
  }

  @Test
  void aRoutedRequestNamesTheIngressSpanWhoseParentIsTheSentSpan() {
    ingress.sendRaw(utf8("k-1"), ingress.encode(text("r-1", "hello").build()), headers(SENT, "producer=1"));

    SpanData span = onlySpan();
    assertThat(span.getName()).isEqualTo(TracedRequests.SPAN);
    assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    TestRecord<byte[], PreparedRequest> routed = ingress.inference(MODEL).readRecord();
    assertThat(values(routed.headers(), "traceparent")).containsExactly("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
    assertThat(values(routed.headers(), "tracestate")).containsExactly("producer=1");
    assertThat(MDC.get(TraceMdc.TRACE_ID)).as("the MDC is cleared after the record").isNull();
  }

  @Test
  void aDeadLetterNamesTheIngressSpanToo() {
    InferenceRequest unknownModel = text("r-2", "hello").setModel("nope").build();
    ingress.sendRaw(utf8("k-2"), ingress.encode(unknownModel), headers(SENT, null));

    SpanData span = onlySpan();
    TestRecord<byte[], RejectedRequest> rejected = ingress.rejected.readRecord();
    assertThat(values(rejected.headers(), "traceparent")).containsExactly("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
    assertThat(rejected.value().getTraceparent()).as("the request's trace").startsWith("00-" + TRACE_ID + "-");
  }

  @Test
  void aRequestWithoutATraceparentStartsATraceItsOutputsCarry() {
    ingress.sendRaw(utf8("k-3"), ingress.encode(text("r-3", "hello").build()), new RecordHeaders());

    SpanData span = onlySpan();
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(values(ingress.inference(MODEL).readRecord().headers(), "traceparent"))
        .containsExactly("00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex());
  }

  private SpanData onlySpan() {
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    return exporter.getFinishedSpanItems().get(0);
  }

  private static RecordHeaders headers(String traceparent, String tracestate) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", utf8(traceparent));
    if (tracestate != null) {
      headers.add("tracestate", utf8(tracestate));
    }
    return headers;
  }

  private static List<String> values(Headers headers, String name) {
    List<String> values = new ArrayList<>();
    for (Header header : headers.headers(name)) {
      values.add(new String(header.value(), StandardCharsets.UTF_8));
    }
    return values;
  }
}
