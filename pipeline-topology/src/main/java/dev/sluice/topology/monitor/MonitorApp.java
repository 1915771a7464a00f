package dev.sluice.topology.monitor;

import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.config.ConfigSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring application: {@code java -cp ... dev.sluice.topology.monitor.MonitorApp [monitor.properties]}.
 *
 * <p>Parses the configuration (the optional properties file, overridden by the environment, see
 * {@link ConfigSources}; every problem reported at once, exit status 2), starts a
 * {@link MonitorService} and installs a shutdown hook that closes it within
 * {@code monitor.shutdown.timeout.ms}. Exits 1 when the client shuts down after a failure, 0
 * after a requested shutdown.
 */
public final class MonitorApp {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorApp.class);

  private MonitorApp() {}

  /**
   * Runs the monitor until it is stopped or fails.
   *
   * @param args an optional path to a properties file
   * @throws IOException when the HTTP port cannot be bound
   * @throws InterruptedException when interrupted while running
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    Map<String, String> file;
    try {
      if (args.length > 1) {
        throw new ConfigException("Usage: MonitorApp [path/to/monitor.properties]");
      }
      file = args.length == 1 ? ConfigSources.load(Path.of(args[0])) : Map.of();
    } catch (ConfigException e) {
      LOG.error("Invalid monitor configuration:\n{}", e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(ConfigSources.merge(file, System.getenv())));
  }

  /**
   * Runs the monitor with the given settings until it is stopped (a shutdown hook closes it; the
   * JVM is then already exiting) or it fails.
   *
   * @param properties the settings, environment overrides already applied
   * @return 2 for an invalid configuration, 1 after a failure, 0 after a requested stop
   * @throws IOException when the HTTP port cannot be bound
   * @throws InterruptedException when interrupted while running
   */
  public static int run(Map<String, String> properties) throws IOException, InterruptedException {
    AvroTrust.trustContracts();
    MonitorConfig config;
    try {
      config = MonitorConfig.parse(properties);
    } catch (ConfigException e) {
      LOG.error("Invalid monitor configuration:\n{}", e.getMessage());
      return 2;
    }
    return MonitorService.start(config).runUntilStopped();
  }
}
