package dev.sluice.worker.remote;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The meters of a version's remote endpoints, tagged {@code model}, {@code version} and
 * {@code endpoint}:
 *
 * <ul>
 *   <li>{@value #CALLS} (Counter; outcome=ok|refused|failed|timeout|breaker_open): calls by how they
 *       ended; {@code breaker_open} counts the calls an open breaker refused;
 *   <li>{@value #LATENCY} (Timer): the time of the calls that were answered (ok or refused);
 *   <li>{@value #BREAKER} (Gauge): the endpoint's circuit breaker, 0 closed, 1 half-open, 2 open.
 * </ul>
 *
 * Which endpoint answered each request is on its result and metric event ({@code endpoint}).
 * The meters are removed when the version unloads.
 */
final class EndpointMetrics {
  static final String CALLS = "sluice.worker.endpoint.calls";
  static final String LATENCY = "sluice.worker.endpoint.latency";
  static final String BREAKER = "sluice.worker.endpoint.breaker";

  private final MeterRegistry registry;
  private final Tags version;
  private final Set<Meter> registered = new LinkedHashSet<>();

  EndpointMetrics(MeterRegistry registry, String model, String version) {
    this.registry = registry;
    this.version = Tags.of("model", model, "version", version);
  }

  /** Registers the gauge of an endpoint's breaker. */
  synchronized void breaker(String endpoint, CircuitBreaker breaker) {
    registered.add(Gauge.builder(BREAKER, breaker, b -> b.state().ordinal()).tags(version.and("endpoint", endpoint))
        .description("State of the endpoint's circuit breaker: 0 closed, 1 half-open, 2 open").register(registry));
  }

  /** A call ended; {@code nanos} is its time, counted in the latency when the server answered. */
  void call(String endpoint, String outcome, long nanos) {
    Counter counter = Counter.builder(CALLS).tags(version.and("endpoint", endpoint, "outcome", outcome))
        .description("Calls to a model version's remote endpoint, by outcome").register(registry);
    remember(counter);
    counter.increment();
    if (outcome.equals("ok") || outcome.equals("refused")) {
      Timer timer = Timer.builder(LATENCY).tags(version.and("endpoint", endpoint)).description("Time of the calls an endpoint answered")
          .publishPercentileHistogram().register(registry);
      remember(timer);
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void remember(Meter meter) {
    registered.add(meter);
  }

  /** Removes every meter of the version. */
  synchronized void close() {
    registered.forEach(registry::remove);
    registered.clear();
  }
}
