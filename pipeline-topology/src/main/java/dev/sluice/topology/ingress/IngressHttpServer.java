package dev.sluice.topology.ingress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The ingress's small HTTP side door, on the JDK's server:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus scrape;
 *   <li>{@code GET /health/live}: 200 unless the Streams client has failed (ERROR or
 *       PENDING_ERROR), 503 then, so an orchestrator restarts the process;
 *   <li>{@code GET /health/ready}: 200 while the client is RUNNING, 503 otherwise (starting,
 *       rebalancing, shutting down).
 * </ul>
 *
 * <p>Both health answers carry the client's state as text.
 */
final class IngressHttpServer implements AutoCloseable {
  private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);

  private final HttpServer server;

  private IngressHttpServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts the server.
   *
   * @param port the port, or 0 for a free one
   * @param scrape the Prometheus text of the meters
   * @param state the Streams client's current state
   * @throws IOException when the port cannot be bound
   */
  static IngressHttpServer start(int port, Supplier<String> scrape, Supplier<KafkaStreams.State> state) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
    server.createContext("/health/live", exchange -> {
      KafkaStreams.State now = state.get();
      answer(exchange, DEAD.contains(now) ? 503 : 200, "text/plain; charset=utf-8", now.name());
    });
    server.createContext("/health/ready", exchange -> {
      KafkaStreams.State now = state.get();
      answer(exchange, now == KafkaStreams.State.RUNNING ? 200 : 503, "text/plain; charset=utf-8", now.name());
    });
    server.start();
    return new IngressHttpServer(server);
  }

  /** The bound port. */
  int port() {
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
