package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import dev.sluice.testkit.HeadlessChromium;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS as browsers enforce it: a page from an allowed origin calls the API with {@code fetch} and
 * reads the answer in a real headless Chromium; from another origin the browser blocks the call
 * (its preflight gets no CORS headers, so the POST is never sent).
 */
class GatewayCorsTest {
  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING);
  private final HttpClient http = HttpClient.newHttpClient();
  private TestGateway server;
  private HttpServer allowedPage;
  private HttpServer otherPage;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (HttpServer page : new HttpServer[] {allowedPage, otherPage}) {
      if (page != null) {
        page.stop(0);
      }
    }
  }

  private static HttpServer page() throws Exception {
    HttpServer page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    page.createContext("/", exchange -> {
      byte[] html = "<!doctype html><title>caller</title><p>calls the gateway</p>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, html.length);
      exchange.getResponseBody().write(html);
      exchange.close();
    });
    page.start();
    return page;
  }

  private String start(String origins) throws Exception {
    pipeline.answer = r -> new Reply.Result(InferenceResult.newBuilder().setRequestId(r.getRequestId()).setModel("minilm").setModelVersion("v1")
        .setStatus(Status.OK).setOutput(new Embedding(List.of(0.6f, 0.8f))).setCompletedAt(Instant.now()).setInputTokens(3).build());
    server = new TestGateway(pipeline, Map.of(GatewayConfig.ALLOWED_ORIGINS, origins));
    return "http://127.0.0.1:" + server.port();
  }

  private HttpResponse<String> preflight(String gateway, String origin) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/embeddings")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the browser shows the page of that origin (it starts on about:blank, whose origin is opaque). */
  private static void awaitOrigin(HeadlessChromium browser, String origin) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      seen = browser.evaluate("document.readyState === 'complete' ? location.origin : ''").asText();
      if (seen.equals(origin)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the browser did not show " + origin + " within 20 s (it shows " + seen + ")");
  }

  @Test
  void answersPreflightsOnlyForConfiguredOrigins() throws Exception {
    String gateway = start("https://app.example.com,http://localhost:3000");

    HttpResponse<String> allowed = preflight(gateway, "https://app.example.com");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("authorization");
    assertThat(preflight(gateway, "https://evil.example.com").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(preflight(gateway, "https://app.example.com.evil.com").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(pipeline.sent).isEmpty();
  }

  @Test
  void noOriginIsAllowedUnlessConfigured() throws Exception {
    String gateway = start("");
    assertThat(preflight(gateway, "https://app.example.com").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aBrowserPageFromAnAllowedOriginReadsTheAnswerAndOneFromAnotherIsBlocked(@TempDir Path dir) throws Exception {
    allowedPage = page();
    otherPage = page();
    String allowedOrigin = "http://127.0.0.1:" + allowedPage.getAddress().getPort();
    String gateway = start(allowedOrigin);
    String call = "fetch('" + gateway + "/v1/embeddings', {method: 'POST', headers: {'Content-Type': 'application/json',"
        + " 'Authorization': 'Bearer any'}, body: JSON.stringify({model: 'minilm', input: 'from a page'})})"
        + ".then(r => r.json()).then(b => 'ok ' + b.data[0].embedding.length).catch(e => 'blocked ' + e)";

    try (HeadlessChromium browser = HeadlessChromium.open(allowedOrigin + "/", Files.createDirectories(dir.resolve("allowed")))) {
      awaitOrigin(browser, allowedOrigin);
      assertThat(browser.evaluateAsync(call).asText()).isEqualTo("ok 2");
    }
    String otherOrigin = "http://127.0.0.1:" + otherPage.getAddress().getPort();
    try (HeadlessChromium browser = HeadlessChromium.open(otherOrigin + "/", Files.createDirectories(dir.resolve("other")))) {
      awaitOrigin(browser, otherOrigin);
      assertThat(browser.evaluateAsync(call).asText()).startsWith("blocked TypeError");
    }
    assertThat(pipeline.sent).as("the blocked page's POST never reached the gateway").hasSize(1);
  }
}
