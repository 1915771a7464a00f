package dev.sluice.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The gateway's meters: {@value #REQUESTS} (latency by route and status, with a histogram for
 * percentiles), {@value #IN_FLIGHT} (calls being answered), {@value #WAITING} (requests waiting
 * for their reply), {@value #REFUSALS} (calls refused, by reason), {@value #UNCLAIMED} and
 * {@value #AUDIT_FAILURES}.
 */
final class GatewayMetrics implements MeterBinder {
  static final String REQUESTS = "sluice.gateway.requests";
  static final String IN_FLIGHT = "sluice.gateway.in.flight";
  static final String WAITING = "sluice.gateway.replies.waiting";
  static final String REFUSALS = "sluice.gateway.refusals";
  static final String UNCLAIMED = "sluice.gateway.replies.unclaimed";
  static final String AUDIT_FAILURES = "sluice.gateway.audit.failures";

  private final AtomicInteger inFlight = new AtomicInteger();
  private final Supplier<Number> waiting;
  private final Supplier<Number> unclaimed;
  private final Supplier<Number> auditFailures;
  private MeterRegistry registry;

  GatewayMetrics(Supplier<Number> waiting, Supplier<Number> unclaimed, Supplier<Number> auditFailures) {
    this.waiting = waiting;
    this.unclaimed = unclaimed;
    this.auditFailures = auditFailures;
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    this.registry = meters;
    Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get).description("HTTP calls being answered").register(meters);
    Gauge.builder(WAITING, () -> waiting.get()).description("Requests waiting for their reply").register(meters);
    Gauge.builder(UNCLAIMED, () -> unclaimed.get()).description("Replies no call waited for any more").register(meters);
    Gauge.builder(AUDIT_FAILURES, () -> auditFailures.get()).description("Audit events Kafka did not take").register(meters);
  }

  void started() {
    inFlight.incrementAndGet();
  }

  /** A call was answered. */
  void answered(String route, ApiResponse response, Duration took) {
    answered(route, response.status(), response.reason(), took);
  }

  /**
   * A call was answered.
   *
   * @param route the route's label ({@link Route#label()})
   * @param reason why it was refused, or null when it was served
   */
  void answered(String route, int status, String reason, Duration took) {
    inFlight.decrementAndGet();
    if (registry == null) {
      return;
    }
    Timer.builder(REQUESTS).description("HTTP calls by route and status").tag("route", route).tag("status", Integer.toString(status))
        .publishPercentileHistogram().register(registry).record(took);
    if (reason != null) {
      Counter.builder(REFUSALS).description("Calls refused, by reason").tag("reason", reason).register(registry).increment();
    }
  }
}
