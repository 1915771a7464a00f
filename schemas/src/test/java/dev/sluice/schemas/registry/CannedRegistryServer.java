package dev.sluice.schemas.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on a free local port that answers canned, Confluent-shaped JSON bodies and
 * records every request. Answers are queued per method and path (query included); the last one
 * queued for a route repeats. Unknown routes get a Confluent-style 404.
 */
public final class CannedRegistryServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  private CannedRegistryServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on an ephemeral port of the loopback interface. */
  public static CannedRegistryServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CannedRegistryServer canned = new CannedRegistryServer(server);
    server.createContext("/", canned::handle);
    server.start();
    return canned;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues an answer for a method and raw path (with query, e.g. {@code /config?x=y}). */
  public CannedRegistryServer answer(String method, String pathAndQuery, int status, String body) {
    return answer(method, pathAndQuery, status, body, Map.of());
  }

  /** Queues an answer with extra response headers. */
  public CannedRegistryServer answer(String method, String pathAndQuery, int status, String body, Map<String, String> headers) {
    answers.computeIfAbsent(method + " " + pathAndQuery, k -> new ArrayDeque<>()).add(new Answer(status, body, headers));
    return this;
  }

  /** The requests received so far, oldest first. */
  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** The only request received; fails when there is not exactly one. */
  public Recorded onlyRequest() {
    List<Recorded> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + all);
    }
    return all.get(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String path = query == null ? raw : raw + "?" + query;
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Recorded(exchange.getRequestMethod(), path, copy(exchange.getRequestHeaders()), body));
    Answer answer = next(exchange.getRequestMethod() + " " + path);
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Answer next(String route) {
    Deque<Answer> queue = answers.get(route);
    if (queue == null || queue.isEmpty()) {
      return new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}", Map.of());
    }
    synchronized (queue) {
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }
  }

  private static Map<String, String> copy(Headers headers) {
    Map<String, String> flat = new ConcurrentHashMap<>();
    headers.forEach((name, values) -> flat.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
    return flat;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A recorded request; header names are lower case. */
  public record Recorded(String method, String path, Map<String, String> headers, String body) {
    /** A header's value, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private record Answer(int status, String body, Map<String, String> headers) {}
}
