package dev.sluice.platform.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The operations endpoints every Sluice process serves on the JDK's HTTP server: {@code GET
 * /metrics} (Prometheus text), {@code GET /health/live} and {@code GET /health/ready} (200 or
 * 503). HEAD is answered without a body; other methods get 405. Only these exact paths are
 * served ({@code /health/readyz} is a 404, not the JDK server's prefix match), so a mistyped probe
 * path fails instead of passing.
 */
public final class OpsHttpServer implements AutoCloseable {
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private OpsHttpServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port, or 0 for a free one
   * @param scrape the Prometheus text of the meters
   * @param live the liveness answer
   * @param ready the readiness answer
   * @throws IOException when the port cannot be bound
   */
  public static OpsHttpServer start(int port, Supplier<String> scrape, Supplier<HealthAnswer> live, Supplier<HealthAnswer> ready)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> answer(exchange, 200, PROMETHEUS, scrape.get()));
    server.createContext("/health/live", exchange -> answer(exchange, live.get()));
    server.createContext("/health/ready", exchange -> answer(exchange, ready.get()));
    server.start();
    return new OpsHttpServer(server);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, HealthAnswer health) throws IOException {
    answer(exchange, health.ok() ? 200 : 503, health.contentType(), health.body());
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = "HEAD".equals(method);
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
