package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.MetricsSnapshot;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DashboardHistoryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static void add(DashboardHistory history, MetricsSnapshot snapshot, long nowMillis) {
    history.addSnapshot(SnapshotJson.of(snapshot), SnapshotJson.sketch(snapshot), nowMillis);
  }

  @Test
  void totalsSumTheVersionsOfTheNewestWindowAndMergeTheirLatencySketches() {
    DashboardHistory history = new DashboardHistory(10, 10);
    double[] fast = new double[900];
    double[] slow = new double[100];
    for (int i = 0; i < fast.length; i++) {
      fast[i] = 10 + i % 10;
    }
    for (int i = 0; i < slow.length; i++) {
      slow[i] = 500 + i;
    }
    add(history, DashboardFixture.withLatencies(DashboardFixture.snapshot("v1", T0, 1, 1), 20), 1);
    add(history, DashboardFixture.withLatencies(DashboardFixture.snapshot("v1", T0.plusSeconds(10), 90, 19), fast), 2);
    MetricsSnapshot partial = DashboardFixture.withLatencies(DashboardFixture.snapshot("v2", T0.plusSeconds(10), 10, 599), slow);
    add(history, MetricsSnapshot.newBuilder(partial).setFinal$(false).build(), 3);
    add(history, MetricsSnapshot.newBuilder(DashboardFixture.snapshot("*", T0.plusSeconds(10), 0, 1)).setLatency(null).build(), 4);

    ObjectNode totals = history.totals(10_000);

    assertThat(totals.path("windowStart").asLong()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
    assertThat(totals.path("throughput").asDouble()).as("v1 and v2, not the rejections-only '*'").isEqualTo(100.0);
    assertThat(totals.path("requests").asLong()).isEqualTo(1000);
    assertThat(totals.path("versions").asInt()).isEqualTo(2);
    assertThat(totals.path("rejections").asLong()).as("every snapshot's rejections, '*' too").isEqualTo(12);
    assertThat(totals.path("final").asBoolean()).as("v2's figure is partial").isFalse();
    // 1000 latencies: the 990th is 589 ms (the slow version's 90th); an average of the versions' p99s would be far off.
    assertThat(totals.path("p99").asDouble()).isCloseTo(589.0, within(589.0 * 0.01));
    assertThat(totals.path("p50").asDouble()).isCloseTo(15.0, within(15.0 * 0.01));
    assertThat(history.totals(60_000)).isNull();
    assertThat(history.toJson().path("totals")).singleElement().isEqualTo(totals);
    assertThat(history.toJson().path("lastSnapshot").asLong()).isEqualTo(4);
    assertThat(history.toJson(1_004).path("lastSnapshotAgeMs").asLong()).as("for a browser whose clock differs").isEqualTo(1_000);
  }

  @Test
  void totalsOfAWindowWithoutLatencyHaveNoPercentilesAndAnUndecodableSketchIsLeftOut() {
    DashboardHistory history = new DashboardHistory(10, 10);
    MetricsSnapshot broken = MetricsSnapshot.newBuilder(DashboardFixture.snapshot("v1", T0, 3, 1))
        .setLatencySketch(java.nio.ByteBuffer.wrap(new byte[] {42, 42, 42})).build();
    add(history, broken, 1);

    ObjectNode totals = history.totals(10_000);

    assertThat(totals.path("throughput").asDouble()).isEqualTo(3.0);
    assertThat(totals.path("p99").isNull()).isTrue();
  }

  @Test
  void laterUpdateOfAWindowReplacesItsPartialUpdate() {
    DashboardHistory history = new DashboardHistory(10, 10);
    MetricsSnapshot partial = MetricsSnapshot.newBuilder(DashboardFixture.snapshot("v1", T0, 10, 50)).setFinal$(false).build();

    add(history, partial, 1);
    add(history, DashboardFixture.snapshot("v1", T0, 12, 55), 2);

    JsonNode points = history.toJson().path("series").get(0).path("points");
    assertThat(points).hasSize(1);
    assertThat(points.get(0).path("throughput").asDouble()).isEqualTo(12.0);
    assertThat(points.get(0).path("final").asBoolean()).isTrue();
    assertThat(history.toJson().path("received").asLong()).isEqualTo(2);
    assertThat(history.toJson().path("lastUpdate").asLong()).isEqualTo(2);
  }

  @Test
  void keepsTheNewestWindowsOfEachSeriesUpToTheBoundInTimeOrder() {
    DashboardHistory history = new DashboardHistory(3, 10);
    for (int i = 4; i >= 0; i--) {
      add(history, DashboardFixture.snapshot("v1", T0.plusSeconds(10L * i), i, 10), i);
    }
    add(history, DashboardFixture.snapshot("v1", T0.plusSeconds(50), 5, 10), 9);

    JsonNode points = history.toJson().path("series").get(0).path("points");
    assertThat(points).extracting(p -> p.path("throughput").asDouble()).containsExactly(3.0, 4.0, 5.0);
  }

  @Test
  void separatesSeriesByVersionAndWindowLengthInAStableOrder() {
    DashboardHistory history = new DashboardHistory(10, 10);
    MetricsSnapshot minute = MetricsSnapshot.newBuilder(DashboardFixture.snapshot("v1", T0, 1, 1)).setWindowEnd(T0.plusSeconds(60)).build();
    add(history, DashboardFixture.snapshot("v2", T0, 1, 1), 1);
    add(history, minute, 2);
    add(history, DashboardFixture.snapshot("v1", T0, 1, 1), 3);

    assertThat(history.toJson().path("series")).extracting(s -> s.path("version").asText() + "/" + s.path("windowMs").asLong())
        .containsExactly("v1/10000", "v1/60000", "v2/10000");
  }

  @Test
  void listsAlertsNewestFirstAndDropsTheOldestBeyondTheBound() {
    DashboardHistory history = new DashboardHistory(10, 2);
    for (int i = 1; i <= 3; i++) {
      history.addAlert(JsonNodeFactory.instance.objectNode().put("n", i), i);
    }

    assertThat(history.toJson().path("alerts")).extracting(a -> a.path("n").asInt()).containsExactly(3, 2);
  }

  @Test
  void emptyHistoryHasNoSeriesNoAlertsAndNoLastUpdate() {
    ObjectNode json = new DashboardHistory(1, 1).toJson();

    assertThat(json.path("series")).isEmpty();
    assertThat(json.path("alerts")).isEmpty();
    assertThat(json.path("lastUpdate").isNull()).isTrue();
  }

  @Test
  void snapshotJsonCarriesTheChartedFiguresAndNoSketch() {
    ObjectNode point = SnapshotJson.of(DashboardFixture.snapshot("v2", T0, 20, 80));

    assertThat(point.path("windowStart").asLong()).isEqualTo(T0.toEpochMilli());
    assertThat(point.path("latency").path("p50").asDouble()).isEqualTo(20.0);
    assertThat(point.path("latency").path("p95").asDouble()).isEqualTo(40.0);
    assertThat(point.path("rejections").path("RATE_LIMITED").asLong()).isEqualTo(3);
    assertThat(point.path("batchSize").asDouble()).isEqualTo(2.0);
    assertThat(point.has("latency_sketch")).isFalse();
    MetricsSnapshot quiet = MetricsSnapshot.newBuilder(DashboardFixture.snapshot("v2", T0, 0, 1)).setLatency(null).build();
    assertThat(SnapshotJson.of(quiet).path("latency").isNull()).isTrue();
  }

  @Test
  void eventFramesAreServerSentEventsAndRefuseMultiLineData() {
    assertThat(EventHub.frame("snapshot", "{\"a\":1}")).isEqualTo("event: snapshot\ndata: {\"a\":1}\n\n");
    assertThatThrownBy(() -> EventHub.frame("x", "a\nb")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slowSubscriberIsEndedInsteadOfGrowingWithoutBound() throws InterruptedException {
    try (EventHub hub = new EventHub(); EventHub.Subscription subscription = hub.subscribe()) {
      for (int i = 0; i <= EventHub.QUEUE_CAPACITY; i++) {
        hub.publish("snapshot", "{}");
      }

      assertThat(subscription.next(1, TimeUnit.SECONDS).end()).isTrue();
    }
  }

  @Test
  void closingTheHubEndsOpenAndLaterSubscriptions() throws InterruptedException {
    EventHub hub = new EventHub();
    EventHub.Subscription open = hub.subscribe();

    hub.close();

    assertThat(open.next(1, TimeUnit.SECONDS).end()).isTrue();
    assertThat(hub.subscribe().next(1, TimeUnit.SECONDS).end()).isTrue();
  }
}
