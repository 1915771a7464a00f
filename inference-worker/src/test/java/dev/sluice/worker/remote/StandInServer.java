package dev.sluice.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A stand-in HTTP server for the remote engines' unit tests (the system tests use real servers): it
 * answers every POST with what the test's function says, after an optional delay, and records each
 * request's path, headers and JSON body.
 */
final class StandInServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: the status and the JSON body, after a delay. */
  record Reply(int status, String body, long delayMs) {
    static Reply ok(String body) {
      return new Reply(200, body, 0);
    }
  }

  /** One request as received. */
  record Received(String path, String authorization, String team, JsonNode body) {}

  private final HttpServer server;
  private final String scheme;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<JsonNode, Reply> replies;
  private final AtomicInteger atOnce = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  StandInServer(Function<JsonNode, Reply> replies) throws IOException {
    this(replies, null);
  }

  /** With {@code tls}, an https server with that context's key (null: plain http). */
  StandInServer(Function<JsonNode, Reply> replies, SSLContext tls) throws IOException {
    this.replies = replies;
    this.scheme = tls == null ? "http" : "https";
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  void answer(Function<JsonNode, Reply> replies) {
    this.replies = replies;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The most requests it was answering at once. */
  int mostAtOnce() {
    return mostAtOnce.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = atOnce.incrementAndGet();
    mostAtOnce.accumulateAndGet(now, Math::max);
    try {
      answer(exchange);
    } finally {
      atOnce.decrementAndGet();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
    received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("X-Team"), body));
    Reply reply = replies.apply(body);
    try {
      Thread.sleep(reply.delayMs());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // the client gave up (a timeout under test)
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
