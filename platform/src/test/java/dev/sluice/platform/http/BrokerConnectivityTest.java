package dev.sluice.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class BrokerConnectivityTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final AtomicInteger consumerConnections = new AtomicInteger(1);
  private final AtomicInteger producerConnections = new AtomicInteger(0);
  private final BrokerConnectivity connectivity = new BrokerConnectivity(() -> List.of(
      Map.of(name("consumer-metrics"), metric(consumerConnections), new MetricName("connection-count", "other", "", Map.of()),
          metric(new AtomicInteger(5))),
      Map.of(name("producer-metrics"), metric(producerConnections))), clock);

  private static MetricName name(String group) {
    return new MetricName("connection-count", group, "", Map.of("client-id", "c"));
  }

  private static Metric metric(AtomicInteger value) {
    return new Metric() {
      @Override
      public MetricName metricName() {
        return null;
      }

      @Override
      public Object metricValue() {
        return (double) value.get();
      }
    };
  }

  @Test
  void reportsDegradedOnlyAfterNoClientHasHadAConnectionForTheGrace() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    connectivity.bindTo(meters);
    assertThat(connectivity.degradation()).isEmpty();

    consumerConnections.set(0);
    assertThat(connectivity.degradation()).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    assertThat(connectivity.degradation()).isEmpty();
    clock.advance(Duration.ofSeconds(10));

    assertThat(connectivity.degradation()).contains("degraded: no connection to any Kafka broker for 12 s");
    assertThat(meters.get(BrokerConnectivity.CONNECTED).gauge().value()).isZero();
    assertThat(meters.get(BrokerConnectivity.DISCONNECTED_SECONDS).gauge().value()).isEqualTo(12.0);

    producerConnections.set(1);
    assertThat(connectivity.degradation()).isEmpty();
    assertThat(meters.get(BrokerConnectivity.CONNECTED).gauge().value()).isEqualTo(1.0);
  }
}
