package dev.sluice.topology.monitor;

import dev.sluice.topology.app.StreamsService;
import java.io.IOException;

/** Starts the monitor: {@link MonitorTopology} as a {@link StreamsService}. {@link MonitorApp} runs one per process; {@code sluice up} one next to the ingress. */
public final class MonitorService {
  private MonitorService() {}

  /**
   * Builds and starts the monitor.
   *
   * @throws IOException when the HTTP port cannot be bound; nothing is left running then
   */
  public static StreamsService start(MonitorConfig config) throws IOException {
    return StreamsService.start(new StreamsService.Settings("monitor", config.applicationId(), config.bootstrapServers(),
        config.streamsProperties(), config.registry(), config.threadReplacements(), config.httpPort(), config.shutdownTimeout()),
        (registry, clock, meters) -> MonitorTopology.build(config, registry, clock, meters));
  }
}
