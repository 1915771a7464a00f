package dev.sluice.platform.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether a component's Kafka clients still reach the cluster, from the clients' own
 * {@code connection-count} metrics (groups {@code consumer-metrics}, {@code producer-metrics},
 * {@code admin-client-metrics}): connected while any client holds a connection to any broker.
 * When none has for {@link #GRACE} or longer the component is degraded: it cannot consume or
 * produce, but it is alive, and it goes on by itself once a broker is back, so the health
 * answers say so without failing liveness. Observed whenever a health answer or a meter scrape
 * asks.
 *
 * <p>Meters: {@value #CONNECTED} (1 connected, 0 degraded) and {@value #DISCONNECTED_SECONDS}
 * (how long no client has had a broker connection, 0 while connected).
 */
public final class BrokerConnectivity implements MeterBinder {
  /** Gauge: 1 while some client is connected to a broker, 0 when degraded. */
  public static final String CONNECTED = "sluice.kafka.connected";
  /** Gauge: seconds without any broker connection. */
  public static final String DISCONNECTED_SECONDS = "sluice.kafka.disconnected.seconds";
  /** How long no connection may last (a reconnect, a leader move) before the component counts as degraded. */
  public static final Duration GRACE = Duration.ofSeconds(3);
  private static final Set<String> GROUPS = Set.of("consumer-metrics", "producer-metrics", "admin-client-metrics");

  private final Supplier<Collection<Map<MetricName, ? extends Metric>>> clientMetrics;
  private final Clock clock;
  private Instant disconnectedSince;

  /**
   * Watches clients' metrics.
   *
   * @param clientMetrics the metrics of every client of the component, read at each observation
   * @param clock the clock outages are measured on
   */
  public BrokerConnectivity(Supplier<Collection<Map<MetricName, ? extends Metric>>> clientMetrics, Clock clock) {
    this.clientMetrics = Objects.requireNonNull(clientMetrics, "clientMetrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * How long no client has been connected, once that is at least {@link #GRACE}.
   *
   * @return the outage so far, or empty while connected (or within the grace)
   */
  public synchronized Optional<Duration> outage() {
    Instant now = clock.instant();
    if (anyConnection()) {
      disconnectedSince = null;
      return Optional.empty();
    }
    if (disconnectedSince == null) {
      disconnectedSince = now;
    }
    Duration lost = Duration.between(disconnectedSince, now);
    return lost.compareTo(GRACE) >= 0 ? Optional.of(lost) : Optional.empty();
  }

  /**
   * What a health answer says about the cluster, when degraded.
   *
   * @return e.g. {@code degraded: no connection to any Kafka broker for 12 s}, or empty
   */
  public Optional<String> degradation() {
    return outage().map(lost -> "degraded: no connection to any Kafka broker for " + lost.toSeconds() + " s");
  }

  private boolean anyConnection() {
    for (Map<MetricName, ? extends Metric> metrics : clientMetrics.get()) {
      for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
        MetricName name = entry.getKey();
        if (name.name().equals("connection-count") && GROUPS.contains(name.group())
            && entry.getValue().metricValue() instanceof Number count && count.doubleValue() > 0) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(CONNECTED, this, connectivity -> connectivity.outage().isEmpty() ? 1 : 0)
        .description("1 while a Kafka client of this component is connected to a broker, 0 when none has been for 3 s")
        .register(registry);
    Gauge.builder(DISCONNECTED_SECONDS, this, connectivity -> connectivity.outage().map(lost -> lost.toMillis() / 1000.0).orElse(0.0))
        .description("Seconds without any Kafka broker connection").baseUnit("seconds").register(registry);
  }
}
