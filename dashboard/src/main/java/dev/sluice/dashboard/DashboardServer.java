package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The live dashboard: a background reader of {@code <prefix>.metrics} and {@code <prefix>.alerts}
 * keeps a bounded history and serves, on the JDK's HTTP server:
 *
 * <ul>
 *   <li>{@code /} the page (from the classpath, no network needed), with {@code /dashboard.js}
 *       and {@code /dashboard.css};
 *   <li>{@code /api/snapshot} the history as JSON ({@link DashboardHistory#toJson()});
 *   <li>{@code /events} server-sent events: {@code history}, then {@code snapshot} and
 *       {@code alert} as they arrive, heartbeats between;
 *   <li>{@code /health} 200 while the reader runs, 503 with the reason once it failed.
 * </ul>
 */
public final class DashboardServer implements AutoCloseable {
  private static final int MAX_POINTS = 720;
  private static final int MAX_ALERTS = 200;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final String JSON = "application/json; charset=utf-8";

  private final RestSchemaRegistryClient registry;
  private final DashboardHistory history = new DashboardHistory(MAX_POINTS, MAX_ALERTS);
  private final EventHub hub = new EventHub();
  private final ExecutorService handlers;
  private DashboardFeed feed;
  private Thread feedThread;
  private HttpServer server;

  private DashboardServer(DashboardConfig config) {
    this.registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(config.schemaRegistryUrl()));
    this.handlers = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "sluice-dashboard-http");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Positions the reader, binds the port and starts both.
   *
   * @throws IOException when the port cannot be bound
   * @throws IllegalStateException when a topic is missing
   */
  public static DashboardServer start(DashboardConfig config) throws IOException {
    DashboardServer dashboard = new DashboardServer(config);
    try {
      dashboard.startAll(config);
      return dashboard;
    } catch (IOException | RuntimeException e) {
      dashboard.close();
      throw e;
    }
  }

  private void startAll(DashboardConfig config) throws IOException {
    Clock clock = Clock.systemUTC();
    feed = new DashboardFeed(config, registry, history, hub, clock);
    server = HttpServer.create(new InetSocketAddress(config.port()), 0);
    server.setExecutor(handlers);
    server.createContext("/", new StaticAssets());
    server.createContext("/api/snapshot", exchange -> sendJson(exchange, 200, history.toJson(clock.millis())));
    server.createContext("/events", new EventStreamHandler(hub, () -> history.toJson(clock.millis()).toString(), HEARTBEAT));
    server.createContext("/health", this::health);
    feedThread = new Thread(feed, "sluice-dashboard-feed");
    feedThread.setDaemon(true);
    feedThread.start();
    server.start();
  }

  private void health(HttpExchange exchange) throws IOException {
    Optional<Throwable> failure = feed.failure();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", failure.isEmpty() ? "UP" : "DOWN");
    body.put("received", history.received());
    body.put("streams", hub.subscribers());
    failure.ifPresent(f -> body.put("reason", "the metrics reader stopped: " + f));
    sendJson(exchange, failure.isEmpty() ? 200 : 503, body);
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    HttpAnswers.send(exchange, status, JSON, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's URL on the given host, e.g. {@code http://localhost:8093/}. */
  public String url(String host) {
    return "http://" + host + ":" + port() + "/";
  }

  /** Records read so far (snapshots and alerts). */
  public long received() {
    return history.received();
  }

  /** The open {@code /events} streams. */
  public int streams() {
    return hub.subscribers();
  }

  /** Stops the reader, ends the event streams and stops the server; once is enough, twice is harmless. */
  @Override
  public void close() {
    if (feed != null) {
      feed.stop();
    }
    hub.close();
    if (server != null) {
      server.stop(1);
    }
    handlers.shutdownNow();
    try {
      if (feedThread != null) {
        feedThread.join(TimeUnit.SECONDS.toMillis(10));
      }
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      registry.close();
    }
  }
}
