package dev.sluice.worker;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.http.BrokerConnectivity;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.worker.fleet.LoadStateReporter;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.fleet.ModelFleetMetrics;
import dev.sluice.worker.fleet.ModelRegistryFeed;
import dev.sluice.worker.model.ModelLoader;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A whole worker wired to real Kafka clients: the {@link ModelFleet} with its background loader
 * thread and its {@link ModelRegistryFeed} thread, the {@link InferenceWorker} loop thread, the
 * JVM and Kafka client meter binders, and the HTTP endpoints. Shared by {@link WorkerApp} and the
 * integration tests, which pass a fake {@link ModelLoader}.
 */
public final class WorkerService implements AutoCloseable {
  private static final Duration FEED_CLOSE = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final RestSchemaRegistryClient registry;
  private final ExecutorService loads;
  private final ModelFleet fleet;
  private final ModelRegistryFeed feed;
  private final LoadStateReporter loadStates;
  private final InferenceWorker worker;
  private final KafkaClientMetrics consumerMetrics;
  private final KafkaClientMetrics producerMetrics;
  private final JvmGcMetrics gcMetrics;
  private final WorkerHttpServer http;
  private final AtomicBoolean stopStarted = new AtomicBoolean();
  private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();

  private WorkerService(WorkerConfig config, ModelLoader loader, PrometheusMeterRegistry meters, Tracing tracing) throws IOException {
    this.config = config;
    this.registry = new RestSchemaRegistryClient(config.registry());
    this.loads = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sluice-worker-loader-" + config.model());
      thread.setDaemon(true);
      return thread;
    });
    this.fleet = new ModelFleet(config.model(), loader, loads);
    new ModelFleetMetrics(fleet).bindTo(meters);
    this.loadStates = new LoadStateReporter(
        new KafkaProducer<>(config.statusProducerProperties(), new StringSerializer(), new ByteArraySerializer()),
        new AvroSerializer<>(registry), config.topics().modelStatus(), config.model(), config.workerId(), Clock.systemUTC());
    fleet.onStateChange(loadStates);
    this.feed = new ModelRegistryFeed(
        new KafkaConsumer<>(config.registryReaderProperties(), new StringDeserializer(), new ByteArrayDeserializer()),
        config.topics().models(), new AvroDeserializer<>(ModelDeployment.class, registry), fleet);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config.consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    this.worker = new InferenceWorker(config, new WorkerClients(consumer, producer), fleet, registry, WorkerEnvironment.system(meters, tracing));
    this.consumerMetrics = new KafkaClientMetrics(consumer);
    this.producerMetrics = new KafkaClientMetrics(producer);
    this.gcMetrics = new JvmGcMetrics();
    consumerMetrics.bindTo(meters);
    producerMetrics.bindTo(meters);
    gcMetrics.bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    BrokerConnectivity connectivity = new BrokerConnectivity(() -> List.of(consumer.metrics(), producer.metrics()), Clock.systemUTC());
    connectivity.bindTo(meters);
    this.http = WorkerHttpServer.start(config.httpPort(), meters::scrape, worker::isLive,
        () -> {
          Readiness now = worker.readiness();
          return connectivity.degradation().map(now::degraded).orElse(now);
        });
  }

  /**
   * Builds and starts a worker: the registry feed, the loader and the loop run on their own
   * threads; the loop subscribes once a model version has loaded.
   *
   * @param config the worker configuration
   * @param loader turns deployments into runners
   * @param meters where every meter goes, scraped at /metrics
   * @throws IOException when the HTTP port cannot be bound
   */
  public static WorkerService start(WorkerConfig config, ModelLoader loader, PrometheusMeterRegistry meters) throws IOException {
    return start(config, loader, meters, Tracing.off());
  }

  /**
   * Builds and starts a worker whose requests get spans ({@link RequestSpans}) of the process's tracing.
   *
   * @param tracing the process's tracing; the caller closes it after the worker stops
   * @see #start(WorkerConfig, ModelLoader, PrometheusMeterRegistry)
   */
  public static WorkerService start(WorkerConfig config, ModelLoader loader, PrometheusMeterRegistry meters, Tracing tracing)
      throws IOException {
    WorkerService service = new WorkerService(config, loader, meters, tracing);
    Thread feedThread = new Thread(service.feed, "sluice-worker-registry-" + config.model());
    feedThread.setDaemon(true);
    feedThread.start();
    service.worker.start();
    return service;
  }

  /** The worker loop, for health and its outcome. */
  public InferenceWorker worker() {
    return worker;
  }

  /** The port of /metrics and /health/*. */
  public int httpPort() {
    return http.port();
  }

  /**
   * Stops gracefully: the loop finishes and commits what waits and closes its clients within
   * {@link WorkerConfig#shutdownTimeout()}; then the feed, the loader and the models close. The
   * first call stops; later and concurrent calls wait for it.
   *
   * @return whether the loop ended in time
   */
  public boolean stop() {
    if (stopStarted.compareAndSet(false, true)) {
      try {
        stopped.complete(stopNow());
      } catch (RuntimeException | Error e) {
        stopped.completeExceptionally(e);
        throw e;
      }
    }
    return stopped.join();
  }

  /**
   * Stops as {@link #stop()} does, but waits at most {@code bound}: a stop that hangs (a native
   * call that does not return, a client that does not close) must not keep a failed or
   * terminated process alive. The stop goes on on a daemon thread past the bound.
   *
   * @param bound the longest wait
   * @return whether everything stopped in time and the loop ended in time
   */
  public boolean stop(Duration bound) {
    if (!stopStarted.get()) {
      Thread stopper = new Thread(this::stop, "sluice-worker-stop-" + config.model());
      stopper.setDaemon(true);
      stopper.start();
    }
    try {
      return stopped.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean stopNow() {
    boolean inTime = worker.close(config.shutdownTimeout());
    try {
      feed.close(FEED_CLOSE);
      loads.shutdownNow();
      loads.awaitTermination(FEED_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      loadStates.close(FEED_CLOSE);
      fleet.close();
      consumerMetrics.close();
      producerMetrics.close();
      gcMetrics.close();
      http.close();
      registry.close();
    }
    return inTime;
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
