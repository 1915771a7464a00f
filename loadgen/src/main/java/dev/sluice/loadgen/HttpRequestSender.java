package dev.sluice.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import dev.sluice.avro.TextInput;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Sends the generator's requests over HTTP to a Sluice gateway's OpenAI-compatible
 * {@code POST /v1/embeddings}, one text per call, and books each call's answer in the
 * {@link Ledger} when it arrives (the vectors asked for as base64, as OpenAI's Python SDK asks when its
 * caller names none and numpy is installed, or as JSON floats): the outcome is the HTTP answer (200 an OK result, 504 an
 * EXPIRED one, a refusal whose code is a reason code a rejection), so no Kafka reader is needed.
 * Any other answer or a transport failure counts as a failed send. Calls wait for the pipeline on
 * the gateway, not on a thread here: the JDK client is asynchronous.
 */
public final class HttpRequestSender implements RequestSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final ExecutorService executor;
  private final URI embeddings;
  private final Ledger ledger;
  private final BenchClock clock;
  private final Duration timeout;
  private final boolean base64;

  /**
   * @param gateway the gateway's base URL, e.g. {@code http://localhost:8080}
   * @param base64 whether to ask for {@code encoding_format: base64} rather than JSON floats
   * @param timeout each call's timeout, sent as its deadline ({@code X-Sluice-Timeout-Ms})
   */
  public HttpRequestSender(URI gateway, boolean base64, Ledger ledger, BenchClock clock, Duration timeout) {
    this.base64 = base64;
    this.executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "sluice-bench-http");
      thread.setDaemon(true);
      return thread;
    });
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(10)).build();
    this.embeddings = gateway.resolve("/v1/embeddings");
    this.ledger = ledger;
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public void send(InferenceRequest request, Consumer<Exception> onFailure) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", request.getModelVersion() == null ? request.getModel() : request.getModel() + "/" + request.getModelVersion());
    body.put("input", ((TextInput) request.getInput()).getText());
    body.put("encoding_format", base64 ? "base64" : "float");
    HttpRequest call = HttpRequest.newBuilder(embeddings).timeout(timeout.plusSeconds(5)).header("Content-Type", "application/json")
        .header("X-Sluice-Timeout-Ms", Long.toString(timeout.toMillis())).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    String id = request.getRequestId();
    client.sendAsync(call, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      long now = clock.nanoTime();
      if (error != null) {
        onFailure.accept(error instanceof Exception e ? e : new IOException(error));
      } else if (response.statusCode() == 200) {
        ledger.result(id, Status.OK, false, now);
      } else if (response.statusCode() == 504) {
        ledger.result(id, Status.EXPIRED, false, now);
      } else {
        ReasonCode reason = reason(response.body());
        if (reason != null) {
          ledger.rejection(id, reason, now);
        } else {
          onFailure.accept(new IOException("HTTP " + response.statusCode() + ": " + response.body()));
        }
      }
    });
  }

  /** The reason code of a refusal in OpenAI's error shape, or null when its code is not one. */
  private static ReasonCode reason(String body) {
    try {
      JsonNode code = JSON.readTree(body).path("error").path("code");
      return Arrays.stream(ReasonCode.values()).filter(r -> r.name().equals(code.asText())).findFirst().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void flush() {
    // Every call is on its way once sent; the ledger says when each is answered.
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
