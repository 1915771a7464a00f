package dev.sluice.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The worker's small HTTP side door, on the JDK's server:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus scrape;
 *   <li>{@code GET /health/live}: 200 while the worker loop lives, 503 once it has ended, so an
 *       orchestrator restarts the process;
 *   <li>{@code GET /health/ready}: 200 when a model version is loaded and partitions are
 *       assigned, 503 otherwise; both with a JSON body {@code {"ready":...,"reason":"..."}}.
 * </ul>
 */
public final class WorkerHttpServer implements AutoCloseable {
  private static final String JSON = "application/json; charset=utf-8";

  private final HttpServer server;

  private WorkerHttpServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port, or 0 for a free one
   * @param scrape the Prometheus text of the meters
   * @param live whether the worker loop lives
   * @param readiness whether the worker serves, and why (not)
   * @throws IOException when the port cannot be bound
   */
  public static WorkerHttpServer start(int port, Supplier<String> scrape, BooleanSupplier live, Supplier<Readiness> readiness)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
    server.createContext("/health/live", exchange -> {
      boolean alive = live.getAsBoolean();
      answer(exchange, alive ? 200 : 503, JSON, "{\"live\":" + alive + "}");
    });
    server.createContext("/health/ready", exchange -> {
      Readiness now = readiness.get();
      answer(exchange, now.ready() ? 200 : 503, JSON, now.toJson());
    });
    server.start();
    return new WorkerHttpServer(server);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
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
