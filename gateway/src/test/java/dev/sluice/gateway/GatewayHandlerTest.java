package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer on a real Jetty: keys, limits, routes and the headers that become request fields. */
class GatewayHandlerTest {
  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING);
  private final HttpClient http = HttpClient.newHttpClient();
  private TestGateway gateway;
  private SimpleMeterRegistry meters;

  private String start(Map<String, String> extra) throws Exception {
    Map<String, String> props = new HashMap<>(Map.of(GatewayConfig.MAX_BODY_BYTES, "2048", GatewayConfig.TIMEOUT_MS, "300"));
    props.putAll(extra);
    gateway = new TestGateway(pipeline, props);
    meters = gateway.meters;
    return "http://127.0.0.1:" + gateway.port();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private HttpResponse<String> post(String url, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/v1/embeddings")).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withKeysConfiguredACallNeedsAValidOneUnlessAnonymousCallsAreAllowed() throws Exception {
    String url = start(Map.of(GatewayConfig.API_KEYS, "ci:acme:" + ApiKeys.hash("good")));
    String body = "{\"model\":\"minilm\",\"input\":\"x\"}";

    HttpResponse<String> missing = post(url, body);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(missing.body()).contains("\"code\":\"invalid_api_key\"");
    assertThat(post(url, body, "Authorization", "Bearer bad").statusCode()).isEqualTo(401);
    assertThat(post(url, body, "Authorization", "Basic Z29vZA==").statusCode()).isEqualTo(401);
    assertThat(post(url, body, "Authorization", "Bearer good").statusCode()).as("no reply within the default timeout").isEqualTo(504);
    assertThat(pipeline.sent).singleElement().satisfies(r -> assertThat(r.getTenant()).isEqualTo("acme"));
    assertThat(meters.get(GatewayMetrics.REFUSALS).tag("reason", "invalid_api_key").counter().count()).isEqualTo(3.0);
    assertThat(gateway.audit()).extracting(e -> e.getStatus(), e -> e.getReason(), e -> e.getKeyId(), e -> e.getTenant())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(401, "invalid_api_key", null, null),
            org.assertj.core.groups.Tuple.tuple(401, "invalid_api_key", null, null),
            org.assertj.core.groups.Tuple.tuple(401, "invalid_api_key", null, null),
            org.assertj.core.groups.Tuple.tuple(504, "deadline_exceeded", "ci", "acme"));
    assertThat(gateway.audit().get(3).getRequestIds()).containsExactly(pipeline.sent.get(0).getRequestId());
    assertThat(gateway.audit()).allSatisfy(e -> {
      assertThat(e.getPath()).isEqualTo("/v1/embeddings");
      assertThat(e.getMethod()).isEqualTo("POST");
      assertThat(e.getClientAddress()).isEqualTo("127.0.0.1");
      assertThat(e.getGateway()).isEqualTo("gateway-test");
      assertThat(e.toString()).doesNotContain("good").doesNotContain("\"input\"");
    });
  }

  @Test
  void anonymousCallsAreTheDefaultTenantWhenAllowed() throws Exception {
    String url = start(Map.of(GatewayConfig.API_KEYS, "ci:acme:" + ApiKeys.hash("good"), GatewayConfig.ALLOW_ANONYMOUS, "true"));
    post(url, "{\"model\":\"minilm\",\"input\":\"x\"}");
    assertThat(pipeline.sent).singleElement().satisfies(r -> assertThat(r.getTenant()).isNull());
  }

  @Test
  void theTimeoutHeadersBecomeTheDeadlineCappedByTheMaximum() throws Exception {
    String url = start(Map.of(GatewayConfig.MAX_TIMEOUT_MS, "1000"));
    Instant before = Instant.now();
    post(url, "{\"model\":\"minilm\",\"input\":\"x\"}", "X-Sluice-Timeout-Ms", "100", "Idempotency-Key", "k-1", "traceparent",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    post(url, "{\"model\":\"minilm\",\"input\":\"y\"}", "X-Stainless-Timeout", "600");

    assertThat(Duration.between(before, pipeline.sent.get(0).getDeadline())).isBetween(Duration.ofMillis(100), Duration.ofMillis(1100));
    assertThat(pipeline.timeouts.get(0)).isEqualTo(Duration.ofMillis(350));
    assertThat(pipeline.sent.get(0).getIdempotencyKey()).isEqualTo("k-1#0");
    assertThat(pipeline.sent.get(0).getTraceparent()).startsWith("00-0af7");
    assertThat(pipeline.timeouts.get(1)).as("600 s asked, 1 s allowed").isEqualTo(Duration.ofMillis(1250));
    assertThat(post(url, "{}", "X-Sluice-Timeout-Ms", "soon").statusCode()).isEqualTo(400);
    assertThat(post(url, "{}", "Idempotency-Key", "k".repeat(300)).statusCode()).isEqualTo(400);
  }

  @Test
  void boundsTheBodyAndAnswersOnlyItsRoutes() throws Exception {
    String url = start(Map.of());
    HttpResponse<String> large = post(url, "{\"model\":\"minilm\",\"input\":\"" + "a".repeat(4000) + "\"}");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(post(url, "{not json").statusCode()).isEqualTo(400);
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/embeddings")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions")).GET().build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(404);
    HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/models")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(models.body()).contains("\"id\":\"minilm/v1\"");
    assertThat(meters.get(GatewayMetrics.REQUESTS).tag("route", "/v1/models").tag("status", "200").timer().count()).isEqualTo(1);
  }

  @Test
  void aStoppingGatewayAnswersTheCallsItHoldsButAcceptsNoNewConnections() throws Exception {
    String url = start(Map.of(GatewayConfig.TIMEOUT_MS, "20000", GatewayConfig.SHUTDOWN_TIMEOUT_MS, "20000"));
    var held = http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/v1/embeddings"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"minilm\",\"input\":\"held\"}")).build(), HttpResponse.BodyHandlers.ofString());
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (pipeline.unanswered.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(pipeline.unanswered).as("the call reached the pipeline").hasSize(1);
    TestGateway stopping = gateway;
    gateway = null;
    var closed = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        stopping.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    boolean refused = false;
    while (!refused && System.nanoTime() < until) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(url).getPort())) {
        Thread.sleep(10);
      } catch (java.net.ConnectException e) {
        refused = true;
      }
    }
    assertThat(refused).as("the stopping gateway accepts no new connection").isTrue();
    assertThat(closed).as("close waits for the call it holds").isNotDone();
    InferenceRequest request = pipeline.sent.get(0);
    pipeline.unanswered.get(0).complete(new Reply.Result(InferenceResult.newBuilder().setRequestId(request.getRequestId()).setModel("minilm")
        .setModelVersion("v1").setStatus(Status.OK).setOutput(new Embedding(List.of(0.25f, -0.5f))).setCompletedAt(Instant.now())
        .setInputTokens(3).build()));
    HttpResponse<String> answer = held.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("0.25");
    closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
