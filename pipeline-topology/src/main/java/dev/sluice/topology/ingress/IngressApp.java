package dev.sluice.topology.ingress;

import dev.sluice.platform.tracing.Tracing;
import dev.sluice.platform.tracing.TracingSettings;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.config.ConfigSources;
import dev.sluice.topology.app.StreamsService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress application: {@code java -cp ... dev.sluice.topology.ingress.IngressApp [ingress.properties]}.
 *
 * <p>Parses the configuration (the optional properties file, overridden by the environment, see
 * {@link ConfigSources}; every problem reported at once, exit status 2), looks up the partition
 * count of the request topic unless {@code ingress.request.partitions} sets it (exit status 1 when
 * that fails), starts an {@link IngressService} and installs a shutdown hook that closes it within
 * {@code ingress.shutdown.timeout.ms}. Exits 1 when the client shuts down after a failure, 0
 * after a requested shutdown.
 */
public final class IngressApp {
  private static final Logger LOG = LoggerFactory.getLogger(IngressApp.class);
  private static final Duration PARTITION_LOOKUP_TIMEOUT = Duration.ofSeconds(60);

  private IngressApp() {}

  /**
   * Runs the ingress until it is stopped or fails.
   *
   * @param args an optional path to a properties file
   * @throws IOException when the HTTP port cannot be bound
   * @throws InterruptedException when interrupted while running
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    AvroTrust.trustContracts();
    Map<String, String> file;
    try {
      if (args.length > 1) {
        throw new ConfigException("Usage: IngressApp [path/to/ingress.properties]");
      }
      file = args.length == 1 ? ConfigSources.load(Path.of(args[0])) : Map.of();
    } catch (ConfigException e) {
      LOG.error("Invalid ingress configuration:\n{}", e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(ConfigSources.merge(file, System.getenv())));
  }

  /**
   * Runs the ingress with the given settings until it is stopped (a shutdown hook closes it; the
   * JVM is then already exiting) or it fails.
   *
   * @param properties the settings, environment overrides already applied
   * @return 2 for an invalid configuration, 1 after a failure (the partition lookup included), 0
   *     after a requested stop
   * @throws IOException when the HTTP port cannot be bound
   * @throws InterruptedException when interrupted while running
   */
  public static int run(Map<String, String> properties) throws IOException, InterruptedException {
    AvroTrust.trustContracts();
    IngressConfig parsed;
    TracingSettings tracingSettings;
    try {
      parsed = IngressConfig.parse(properties);
      tracingSettings = TracingSettings.read("sluice-ingress", properties, System.getenv());
    } catch (ConfigException e) {
      LOG.error("Invalid ingress configuration:\n{}", e.getMessage());
      return 2;
    }
    IngressConfig config;
    try {
      config = IngressService.withRequestPartitions(parsed, PARTITION_LOOKUP_TIMEOUT);
    } catch (IllegalStateException e) {
      LOG.error("Cannot start the ingress: {}", e.getMessage(), e);
      return 1;
    }
    LOG.info("{} has {} partitions: each enforces 1/{} of every tenant's rate limit", config.topics().requests(),
        config.requiredRequestPartitions(), config.requiredRequestPartitions());
    Tracing tracing = Tracing.start(tracingSettings);
    StreamsService service;
    try {
      service = IngressService.start(config, tracing);
    } catch (IOException | RuntimeException e) {
      tracing.close();
      throw e;
    }
    service.closeAfterwards(tracing);
    return service.runUntilStopped();
  }
}
