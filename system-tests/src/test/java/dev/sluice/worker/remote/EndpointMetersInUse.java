package dev.sluice.worker.remote;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * For the deploy tests (system-tests): the worker's real {@link EndpointMetrics} of a version on
 * a remote endpoint, after an answered call and a failed one, so a scrape shows the series a
 * worker in front of a remote server exposes. In the remote package to reach the metrics, which
 * the worker keeps to itself.
 */
public final class EndpointMetersInUse {
  private EndpointMetersInUse() {}

  /** Registers an endpoint's meters on {@code registry} and records one call of each kind that counts latency. */
  public static void bindAndRecord(MeterRegistry registry) {
    EndpointMetrics metrics = new EndpointMetrics(registry, "m", "v1");
    metrics.breaker("gpu", new CircuitBreaker(5, Duration.ofSeconds(5), Clock.systemUTC()));
    metrics.call("gpu", "ok", 5_000_000);
    metrics.call("gpu", "failed", 1_000_000);
  }
}
