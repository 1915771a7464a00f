package dev.sluice.topology.ingress;

import dev.sluice.platform.tracing.Tracing;
import dev.sluice.topology.app.StreamsService;
import java.io.IOException;
import java.time.Duration;

/** Starts the ingress: {@link IngressTopology} as a {@link StreamsService}. {@link IngressApp} runs one per process; {@code sluice up} one next to the workers. */
public final class IngressService {
  private IngressService() {}

  /**
   * Builds and starts the ingress without tracing (records pass with the trace context they came with).
   *
   * @param config a parsed configuration whose request partition count is known ({@link #withRequestPartitions})
   * @throws IOException when the HTTP port cannot be bound; nothing is left running then
   */
  public static StreamsService start(IngressConfig config) throws IOException {
    return start(config, Tracing.off());
  }

  /**
   * Builds and starts the ingress, each request in a span of the process's tracing.
   *
   * @param config a parsed configuration whose request partition count is known ({@link #withRequestPartitions})
   * @param tracing the process's tracing; the caller closes it after the service
   * @throws IOException when the HTTP port cannot be bound; nothing is left running then
   */
  public static StreamsService start(IngressConfig config, Tracing tracing) throws IOException {
    return StreamsService.start(new StreamsService.Settings("ingress", config.applicationId(), config.bootstrapServers(),
        config.streamsProperties(), config.registry(), config.threadReplacements(), config.httpPort(), config.shutdownTimeout()),
        (registry, clock, meters) -> IngressTopology.build(config, registry, clock, meters, tracing));
  }

  /**
   * Looks up the request topic's partition count unless the configuration sets it.
   *
   * @throws IllegalStateException when the lookup fails within the timeout
   */
  public static IngressConfig withRequestPartitions(IngressConfig config, Duration timeout) throws InterruptedException {
    return RequestTopicPartitions.resolve(config, timeout);
  }
}
