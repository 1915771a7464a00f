package dev.sluice.worker;

import dev.sluice.platform.tracing.Tracing;
import dev.sluice.platform.tracing.TracingSettings;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.config.ConfigSources;
import dev.sluice.worker.remote.EndpointModelLoader;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference worker: {@code java -cp ... dev.sluice.worker.WorkerApp [worker.properties]}.
 *
 * <p>Trusts the Avro contracts, parses the configuration (the optional properties file,
 * overridden by the environment, see {@link ConfigSources}; the worker's and the model runtime's
 * problems reported together, exit status 2), starts a {@link WorkerService} with the DJL model
 * loader, and installs a shutdown hook that stops it gracefully (SIGTERM: stop polling, answer
 * what waits, commit, close) within {@code worker.shutdown.timeout.ms}. Exits 1 when the worker
 * stops on a failure (a fenced producer, missing authorization, retries exhausted) or cannot
 * start, 0 after a requested shutdown; a failed worker exits within seconds even when part of its
 * stop hangs, so that its supervisor restarts it instead of finding it alive and unready.
 */
public final class WorkerApp {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);
  private static final Duration WAIT_STEP = Duration.ofSeconds(60);
  /** What a stop may take beyond the loop's own shutdown bound (the feed, the loader, the models). */
  private static final Duration STOP_SLACK = Duration.ofSeconds(15);
  /** How long a failed worker's stop may take before the process exits anyway. */
  private static final Duration FAILED_STOP = Duration.ofSeconds(15);

  private WorkerApp() {}

  /**
   * Runs the worker until it is stopped or fails.
   *
   * @param args an optional path to a properties file
   * @throws InterruptedException when interrupted while running
   */
  public static void main(String[] args) throws InterruptedException {
    AvroTrust.trustContracts();
    Map<String, String> file;
    try {
      if (args.length > 1) {
        throw new ConfigException("Usage: WorkerApp [path/to/worker.properties]");
      }
      file = args.length == 1 ? ConfigSources.load(Path.of(args[0])) : Map.of();
    } catch (ConfigException e) {
      LOG.error("Invalid worker configuration:\n{}", e.getMessage());
      System.exit(2);
      return;
    }
    int status = run(ConfigSources.merge(file, System.getenv()));
    if (status >= 0) {
      System.exit(status);
    }
  }

  /**
   * Parses the worker's and the model runtime's settings, reporting every problem of both at
   * once, and runs the worker until it stops.
   *
   * @param properties the settings, environment overrides already applied
   * @return 2 for an invalid configuration, 1 after a failure, 0 after a clean stop, or -1 when a
   *     shutdown hook is already ending the JVM
   * @throws InterruptedException when interrupted while running
   */
  public static int run(Map<String, String> properties) throws InterruptedException {
    AvroTrust.trustContracts();
    WorkerConfig config = null;
    RuntimeConfig runtime = null;
    TracingSettings tracing = null;
    List<String> problems = new ArrayList<>();
    try {
      config = WorkerConfig.parse(properties);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
    }
    try {
      runtime = RuntimeConfig.from(properties);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
    }
    try {
      tracing = TracingSettings.read("sluice-worker", properties, System.getenv());
    } catch (ConfigException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      LOG.error("Invalid worker configuration:\n{}", String.join("\n", problems));
      return 2;
    }
    return run(config, runtime, Tracing.start(tracing));
  }

  /**
   * Runs the worker; returns the exit status, or -1 when a shutdown hook is already ending the JVM.
   * Tracing is closed (what is queued exported) once the worker has stopped.
   */
  private static int run(WorkerConfig config, RuntimeConfig runtime, Tracing tracing) throws InterruptedException {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerService service;
    try {
      service = WorkerService.start(config, new EndpointModelLoader(new DjlModelLoader(runtime), meters), meters, tracing);
    } catch (IOException e) {
      tracing.close();
      LOG.error("Cannot serve metrics and health on port {}: {}; choose a free port with --port ({}; 0 picks any)", config.httpPort(),
          e.getMessage(), WorkerConfig.HTTP_PORT);
      return 1;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      stopping.set(true);
      LOG.info("Stopping the worker (bound {})", config.shutdownTimeout());
      if (!service.stop(config.shutdownTimeout().plus(STOP_SLACK))) {
        LOG.error("The worker did not stop within {}; exiting anyway", config.shutdownTimeout().plus(STOP_SLACK));
      }
      tracing.close();
    }, "sluice-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("Worker {} of model {} on {}; metrics and health on port {}", config.workerId(), config.model(),
        config.bootstrapServers(), service.httpPort());
    boolean ended = false;
    while (!ended) {
      ended = service.worker().awaitTermination(WAIT_STEP);
    }
    if (stopping.get()) {
      return -1;
    }
    boolean failed = service.worker().failure().isPresent();
    if (!service.stop(failed ? FAILED_STOP : config.shutdownTimeout().plus(STOP_SLACK))) {
      LOG.error("The worker did not finish stopping in time; exiting anyway");
    }
    tracing.close();
    return failed ? 1 : 0;
  }
}
