package dev.sluice.topology.app;

import dev.sluice.platform.http.BrokerConnectivity;
import dev.sluice.platform.http.HealthAnswer;
import dev.sluice.platform.http.OpsHttpServer;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The small HTTP side door of a Kafka Streams application (the ingress, the monitor), on the JDK's server:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus scrape;
 *   <li>{@code GET /health/live}: 200 unless the Streams client has failed (ERROR or
 *       PENDING_ERROR), 503 then, so an orchestrator restarts the process;
 *   <li>{@code GET /health/ready}: 200 while the client is RUNNING, 503 otherwise (starting,
 *       rebalancing, shutting down).
 * </ul>
 *
 * <p>Both health answers are {@link HealthAnswer#of} with the client's state as the detail, followed
 * by the {@link BrokerConnectivity} degradation when no client has reached a broker for a while
 * ({@code RUNNING (degraded: no connection to any Kafka broker for 12 s)}); neither fails on it.
 */
public final class StreamsHttpServer implements AutoCloseable {
  private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);

  private final OpsHttpServer server;

  private StreamsHttpServer(OpsHttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts the server.
   *
   * @param component the component's name in the answers ({@code ingress}, {@code monitor})
   * @param port the port, or 0 for a free one
   * @param scrape the Prometheus text of the meters
   * @param state the Streams client's current state
   * @param degradation what is wrong with the cluster connection, when something is
   * @throws IOException when the port cannot be bound
   */
  public static StreamsHttpServer start(String component, int port, Supplier<String> scrape, Supplier<KafkaStreams.State> state,
      Supplier<Optional<String>> degradation) throws IOException {
    return new StreamsHttpServer(OpsHttpServer.start(port, scrape,
        () -> answer(component, HealthAnswer.Check.LIVE, !DEAD.contains(state.get()), state.get(), degradation.get()),
        () -> answer(component, HealthAnswer.Check.READY, state.get() == KafkaStreams.State.RUNNING, state.get(), degradation.get())));
  }

  private static HealthAnswer answer(String component, HealthAnswer.Check check, boolean ok, KafkaStreams.State state,
      Optional<String> degradation) {
    return HealthAnswer.of(component, check, ok, degradation.isPresent(), state.name() + degradation.map(why -> " (" + why + ")").orElse(""));
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
