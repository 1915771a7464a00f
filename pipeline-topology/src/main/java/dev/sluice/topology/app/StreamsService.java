package dev.sluice.topology.app;

import dev.sluice.platform.http.BrokerConnectivity;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.topology.ingress.ReplacementBudget;
import dev.sluice.topology.ingress.ThreadFailurePolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kafka Streams application of Sluice (the ingress, the monitor): its topology on a
 * {@link KafkaStreams} client with {@link ThreadFailurePolicy} as the uncaught-exception handler,
 * a {@link RestSchemaRegistryClient}, and a Prometheus registry with {@link KafkaStreamsMetrics}
 * served with /health/* ({@link StreamsHttpServer}).
 */
public final class StreamsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

  /** Builds the application's topology. */
  @FunctionalInterface
  public interface TopologyFactory {
    Topology build(SchemaRegistryClient registry, Clock clock, MeterRegistry meters);
  }

  /**
   * What the service runs with.
   *
   * @param name the application's name in logs, e.g. {@code ingress}
   * @param applicationId the Streams application id
   * @param bootstrapServers where Kafka is, for the log
   * @param streamsProperties the Streams client's properties
   * @param registry the schema registry client's settings
   * @param replacements how many transient thread failures are survived
   * @param httpPort the port of /metrics and /health/* (0: a free one)
   * @param shutdownTimeout bound on closing the client
   */
  public record Settings(String name, String applicationId, String bootstrapServers, Properties streamsProperties,
      SchemaRegistryClientConfig registry, ReplacementBudget replacements, int httpPort, Duration shutdownTimeout) {}

  private final Settings settings;
  private final PrometheusMeterRegistry meters;
  private final RestSchemaRegistryClient registry;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final StreamsHttpServer http;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<AutoCloseable> closedAfterwards = new CopyOnWriteArrayList<>();

  private StreamsService(Settings settings, TopologyFactory factory) throws IOException {
    this.settings = settings;
    Clock clock = Clock.systemUTC();
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.registry = new RestSchemaRegistryClient(settings.registry());
    Topology topology = factory.build(registry, clock, meters);
    LOG.debug("{} topology:\n{}", settings.name(), topology.describe());
    this.streams = new KafkaStreams(topology, settings.streamsProperties());
    streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(settings.replacements(), clock, () -> failed.set(true)));
    streams.setStateListener((now, before) -> {
      LOG.info("{} state {} -> {}", settings.name(), before, now);
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
        stopped.countDown();
      }
    });
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(meters);
    BrokerConnectivity connectivity = new BrokerConnectivity(() -> List.of(streams.metrics()), clock);
    connectivity.bindTo(meters);
    StreamsHttpServer server;
    try {
      server = StreamsHttpServer.start(settings.name(), settings.httpPort(), meters::scrape, streams::state, connectivity::degradation);
    } catch (IOException e) {
      releaseClients();
      throw e;
    }
    this.http = server;
  }

  /**
   * Builds and starts the application.
   *
   * @throws IOException when the HTTP port cannot be bound; nothing is left running then
   */
  public static StreamsService start(Settings settings, TopologyFactory factory) throws IOException {
    StreamsService service = new StreamsService(settings, factory);
    LOG.info("Starting the {} {} on {}; metrics and health on port {}", settings.name(), settings.applicationId(),
        settings.bootstrapServers(), service.httpPort());
    service.streams.start();
    return service;
  }

  /**
   * Runs until a shutdown hook closes the service (the JVM is then exiting) or the client stops
   * on its own.
   *
   * @return 0 after a requested stop, 1 after a failure
   */
  public int runUntilStopped() throws InterruptedException {
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      close();
    }, "sluice-" + settings.name() + "-shutdown"));
    while (!awaitStopped(Duration.ofMinutes(1))) {
      LOG.debug("{} {}", settings.name(), state());
    }
    if (stopping.get()) {
      return 0;
    }
    boolean failedNow = failed();
    close();
    return failedNow ? 1 : 0;
  }

  /** Closes a resource the service's components used (the process's tracing, say) after the service, at {@link #close()}. */
  public void closeAfterwards(AutoCloseable resource) {
    closedAfterwards.add(resource);
  }

  /** The port of /metrics and /health/*. */
  public int httpPort() {
    return http.port();
  }

  /** The Kafka Streams client's state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Waits until the client has stopped (closed, or in ERROR); whether it did within the timeout. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the client stopped after a failure rather than a requested close. */
  public boolean failed() {
    return failed.get() || streams.state() == KafkaStreams.State.ERROR;
  }

  /**
   * Closes the client within the shutdown bound, leaving its consumer group (so an instance that
   * starts again does not wait out the departed member's session timeout before it gets tasks),
   * then the HTTP server and the registry client; once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Closing the {} (bound {})", settings.name(), settings.shutdownTimeout());
    if (!streams.close(CloseOptions.timeout(settings.shutdownTimeout())
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
      LOG.error("The {} did not close within {}", settings.name(), settings.shutdownTimeout());
    }
    http.close();
    releaseClients();
    for (AutoCloseable resource : closedAfterwards) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Closing {} after the {} failed", resource, settings.name(), e);
      }
    }
  }

  private void releaseClients() {
    streamsMetrics.close();
    registry.close();
    meters.close();
  }
}
