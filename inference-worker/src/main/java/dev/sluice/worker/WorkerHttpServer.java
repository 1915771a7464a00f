package dev.sluice.worker;

import dev.sluice.platform.http.HealthAnswer;
import dev.sluice.platform.http.OpsHttpServer;
import java.io.IOException;
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

  private final OpsHttpServer server;

  private WorkerHttpServer(OpsHttpServer server) {
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
    return new WorkerHttpServer(OpsHttpServer.start(port, scrape,
        () -> {
          boolean alive = live.getAsBoolean();
          return HealthAnswer.of("worker", HealthAnswer.Check.LIVE, alive, false, alive ? "the worker loop runs" : "the worker loop ended");
        },
        () -> {
          Readiness now = readiness.get();
          return HealthAnswer.of("worker", HealthAnswer.Check.READY, now.ready(), now.degraded(), now.reason());
        }));
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.close();
  }
}
