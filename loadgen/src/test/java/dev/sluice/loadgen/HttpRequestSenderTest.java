package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's HTTP sender books each call's answer as its outcome. The server here only stands in
 * for the gateway's answers (the gateway's own tests and the system tests run the real one).
 */
class HttpRequestSenderTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private final List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

  private URI answering() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/embeddings", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      int status = body.contains("limited") ? 429 : body.contains("late") ? 504 : body.contains("boom") ? 500 : 200;
      String code = status == 429 ? "RATE_LIMITED" : status == 500 ? "internal_error" : "none";
      byte[] answer = (status == 200 ? "{\"data\":[]}" : "{\"error\":{\"code\":\"" + code + "\"}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("X-Seen-Timeout", exchange.getRequestHeaders().getFirst("X-Sluice-Timeout-Ms"));
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void booksOkExpiredAndRejectedAnswersAndCountsOthersAsFailedSends() throws Exception {
    URI gateway = answering();
    Ledger ledger = new Ledger("run-1");
    ledger.measuredFrom(0);
    BenchClock clock = BenchClock.system();
    List<String> texts = List.of("ok one", "ok two", "limited", "late", "boom");
    try (HttpRequestSender sender = new HttpRequestSender(gateway, true, ledger, clock, Duration.ofSeconds(5))) {
      for (int i = 0; i < texts.size(); i++) {
        int index = i;
        ledger.sent(i, clock.nanoTime(), clock.nanoTime());
        sender.send(InferenceRequest.newBuilder().setRequestId(ledger.requestId(i)).setModel("minilm").setCreatedAt(Instant.now())
            .setInput(new TextInput(texts.get(i))).build(), error -> ledger.sendFailed(index, error));
      }
      assertThat(ledger.awaitSettled(Duration.ofSeconds(10).toNanos())).isTrue();
    }
    PhaseFigures figures = ledger.summary().measured();
    assertThat(figures.ok()).isEqualTo(2);
    assertThat(figures.expired()).isEqualTo(1);
    assertThat(figures.rejectedByReason()).containsEntry("RATE_LIMITED", 1L);
    assertThat(figures.sendFailures()).isEqualTo(1);
    assertThat(ledger.summary().sendErrors()).singleElement().asString().contains("HTTP 500");
    assertThat(bodies).hasSize(5).allSatisfy(body -> assertThat(body).contains("\"encoding_format\":\"base64\""));
  }
}
