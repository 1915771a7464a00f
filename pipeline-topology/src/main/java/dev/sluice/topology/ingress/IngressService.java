package dev.sluice.topology.ingress;

import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ingress: the topology built by {@link IngressTopology#build} on a
 * {@link KafkaStreams} client with {@link ThreadFailurePolicy} as its uncaught-exception handler,
 * a {@link RestSchemaRegistryClient}, and a Prometheus registry with {@link KafkaStreamsMetrics}
 * served with /health/* on {@code ingress.http.port}. {@link IngressApp} runs one per process;
 * {@code sluice up} runs one next to the workers.
 */
public final class IngressService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngressService.class);

  private final IngressConfig config;
  private final PrometheusMeterRegistry meters;
  private final RestSchemaRegistryClient registry;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final IngressHttpServer http;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private IngressService(IngressConfig config) throws IOException {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.registry = new RestSchemaRegistryClient(config.registry());
    Topology topology = IngressTopology.build(config, registry, clock, meters);
    LOG.debug("Ingress topology:\n{}", topology.describe());
    this.streams = new KafkaStreams(topology, config.streamsProperties());
    streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(config.threadReplacements(), clock, () -> failed.set(true)));
    streams.setStateListener((now, before) -> {
      LOG.info("Ingress state {} -> {}", before, now);
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
        stopped.countDown();
      }
    });
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(meters);
    IngressHttpServer server;
    try {
      server = IngressHttpServer.start(config.httpPort(), meters::scrape, streams::state);
    } catch (IOException e) {
      releaseClients();
      throw e;
    }
    this.http = server;
  }

  /**
   * Builds and starts the ingress.
   *
   * @param config a parsed configuration whose request partition count is known (see
   *     {@link RequestTopicPartitions})
   * @throws IOException when the HTTP port cannot be bound; nothing is left running then
   */
  public static IngressService start(IngressConfig config) throws IOException {
    IngressService service = new IngressService(config);
    LOG.info("Starting the ingress {} on {}; metrics and health on port {}", config.applicationId(), config.bootstrapServers(),
        service.httpPort());
    service.streams.start();
    return service;
  }

  /**
   * Looks up the request topic's partition count unless the configuration sets it, for
   * {@link #start}.
   *
   * @throws IllegalStateException when the lookup fails within the timeout
   */
  public static IngressConfig withRequestPartitions(IngressConfig config, Duration timeout) throws InterruptedException {
    return RequestTopicPartitions.resolve(config, timeout);
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

  /** Closes the client within {@code ingress.shutdown.timeout.ms}, then the HTTP server and the registry client; once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Closing the ingress (bound {})", config.shutdownTimeout());
    if (!streams.close(config.shutdownTimeout())) {
      LOG.error("The ingress did not close within {}", config.shutdownTimeout());
    }
    http.close();
    releaseClients();
  }

  private void releaseClients() {
    streamsMetrics.close();
    registry.close();
    meters.close();
  }
}
