package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.platform.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each request's spans in the worker loop: queue wait, batch inference and result produce, and the result's traceparent. */
class WorkerTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String INGRESS_SPAN_ID = "00f067aa0ba902b7";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracing tracing = Tracing.with(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build());
  private final WorkerHarness harness = new WorkerHarness(Map.of(), false, tracing);

  @AfterEach
  void closeTracing() {
    tracing.close();
  }

  @Test
  void aRequestsSpansAreChildrenOfTheIngressSpanAndItsResultNamesTheProduceSpan() {
    harness.startServing();
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", ("00-" + TRACE_ID + "-" + INGRESS_SPAN_ID + "-01").getBytes(StandardCharsets.UTF_8));
    harness.offer(1, request("r1", "v1", "hello"), headers);
    harness.offer(1, request("r2", "v1", "world"));
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    SpanData wait = span("queue wait", "r1");
    SpanData inference = span("batch inference", "r1");
    SpanData produce = span("result produce", "r1");
    for (SpanData span : new SpanData[] {wait, inference, produce}) {
      assertThat(span.getTraceId()).as(span.getName()).isEqualTo(TRACE_ID);
      assertThat(span.getParentSpanId()).as(span.getName()).isEqualTo(INGRESS_SPAN_ID);
    }
    assertThat(wait.getEndEpochNanos()).as("the wait ends when the batch starts").isEqualTo(inference.getStartEpochNanos());
    assertThat(inference.getAttributes().get(AttributeKey.longKey("sluice.batch.size"))).isEqualTo(2L);
    assertThat(produce.getStatus().getStatusCode()).as("committed").isNotEqualTo(StatusCode.ERROR);
    ProducerRecord<byte[], byte[]> result = harness.sent(WorkerHarness.TOPICS.results()).stream()
        .filter(record -> new String(record.key(), StandardCharsets.UTF_8).equals("r1")).findFirst().orElseThrow();
    assertThat(result.headers().headers("traceparent")).hasSize(1);
    assertThat(new String(result.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
        .isEqualTo("00-" + TRACE_ID + "-" + produce.getSpanId() + "-01");
    assertThat(span("queue wait", "r2").getTraceId()).as("r2 follows the traceparent its request carries")
        .isEqualTo(WorkerHarness.TRACEPARENT.substring(3, 35));
  }

  @Test
  void aRequestWithoutATraceStartsOneWithItsQueueWait() {
    harness.startServing();
    harness.offer(1, PreparedRequest.newBuilder(request("r1", "v1", "hello")).setTraceparent(null).build());
    harness.step();
    harness.clock.advance(Duration.ofMillis(10));
    harness.step();

    SpanData wait = span("queue wait", "r1");
    assertThat(wait.getParentSpanContext().isValid()).isFalse();
    assertThat(span("batch inference", "r1").getParentSpanId()).isEqualTo(wait.getSpanId());
    assertThat(span("result produce", "r1").getParentSpanId()).isEqualTo(wait.getSpanId());
    assertThat(span("result produce", "r1").getTraceId()).isEqualTo(wait.getTraceId());
  }

  private SpanData span(String name, String requestId) {
    return exporter.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name) && requestId.equals(span.getAttributes().get(RequestSpans.REQUEST_ID)))
        .findFirst().orElseThrow(() -> new AssertionError("no span " + name + " of " + requestId + " in " + exporter.getFinishedSpanItems()));
  }
}
