package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Task;
import dev.sluice.platform.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each call's HTTP server span, and the request it publishes naming that span as its parent. */
class TracedCallsTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN_ID = "b7ad6b7169203331";

  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING);
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracing tracing = Tracing.with(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build());

  @AfterEach
  void closeTracing() {
    tracing.close();
  }

  @Test
  void aCallIsAServerSpanUnderTheCallersTraceparentAndItsRequestCarriesTheSpan() throws Exception {
    try (TestGateway gateway = new TestGateway(pipeline, Map.of(GatewayConfig.TIMEOUT_MS, "100"), tracing)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/v1/embeddings")).header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"minilm\",\"input\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as("the fake pipeline never answers").isEqualTo(504);
      SpanData span = firstSpan();
      assertThat(span.getName()).isEqualTo("POST /v1/embeddings");
      assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
      assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(504L);
      assertThat(pipeline.sent).singleElement()
          .satisfies(request -> assertThat(request.getTraceparent()).isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01"));
    }
  }

  @Test
  void aCallWithoutATraceparentStartsATrace() throws Exception {
    try (TestGateway gateway = new TestGateway(pipeline, Map.of(GatewayConfig.TIMEOUT_MS, "100"), tracing)) {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/models")).GET().build(),
          HttpResponse.BodyHandlers.ofString());

      SpanData span = firstSpan();
      assertThat(span.getName()).isEqualTo("GET /v1/models");
      assertThat(span.getParentSpanContext().isValid()).isFalse();
      assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    }
  }

  /** The first span ended: the server ends it once the answer is written, which may be just after the client has read it. */
  private SpanData firstSpan() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (exporter.getFinishedSpanItems().isEmpty()) {
      assertThat(System.nanoTime()).as("a span within 10 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return exporter.getFinishedSpanItems().get(0);
  }
}
