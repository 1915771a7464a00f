package dev.sluice.topology.monitor;

import static dev.sluice.topology.monitor.MonitorHarness.MODEL;
import static dev.sluice.topology.monitor.MonitorHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorWindowsTest {
  @TempDir Path stateDir;
  private MonitorHarness monitor;

  private MonitorHarness start(Map<String, String> overrides) {
    monitor = new MonitorHarness(stateDir, overrides);
    return monitor;
  }

  @AfterEach
  void close() {
    if (monitor != null) {
      monitor.close();
    }
  }

  private static List<MetricsSnapshot> finals(List<MetricsSnapshot> snapshots, long sizeMs) {
    return snapshots.stream().filter(MetricsSnapshot::getFinal$)
        .filter(s -> s.getWindowEnd().toEpochMilli() - s.getWindowStart().toEpochMilli() == sizeMs).toList();
  }

  @Test
  void emitsOneFinalSnapshotPerClosedWindowOnlyAfterTheGracePeriod() {
    start(Map.of("monitor.early.update.interval.ms", "0"));
    monitor.send(MonitorHarness.result("v1", 1_000, 10));
    monitor.send(MonitorHarness.result("v1", 2_000, 20).setStatus(Status.ERROR));
    monitor.send(MonitorHarness.result("v1", 3_000, 30).setCached(true));

    monitor.tick(14_999);
    assertThat(monitor.snapshots()).as("window [0, 10 s) closes at 10 s + 5 s grace").isEmpty();

    monitor.tick(15_000);
    List<MetricsSnapshot> closed = monitor.snapshots();
    assertThat(closed).singleElement().satisfies(s -> {
      assertThat(s.getFinal$()).isTrue();
      assertThat(s.getModelVersion()).isEqualTo("v1");
      assertThat(s.getWindowStart()).isEqualTo(T0);
      assertThat(s.getWindowEnd()).isEqualTo(T0.plusSeconds(10));
      assertThat(s.getRequestCount()).isEqualTo(3);
      assertThat(s.getThroughputPerS()).isEqualTo(0.3);
      assertThat(s.getStatusCounts()).containsExactlyInAnyOrderEntriesOf(Map.of("OK", 2L, "ERROR", 1L));
      assertThat(s.getCacheHits()).isEqualTo(1);
      assertThat(s.getLatency().getMaxMs()).as("cache hits carry no model latency").isEqualTo(20.0);
      assertThat(s.getLatency().getMeanMs()).isEqualTo(15.0);
      assertThat(s.getLatencySketch()).isNotNull();
    });
    assertThat(monitor.meters.get("sluice.monitor.snapshots").tag("window", "10000ms").tag("kind", "final").counters())
        .as("the monitor's own meter of final snapshots (the tick model's counts too)").isNotEmpty()
        .allSatisfy(counter -> assertThat(counter.count()).isGreaterThanOrEqualTo(1));
    assertThat(monitor.meters.get("sluice.monitor.event.lateness").summary().count()).as("every contribution read, ticks included")
        .isGreaterThanOrEqualTo(5);

    monitor.tick(65_000);
    List<MetricsSnapshot> later = monitor.snapshots();
    assertThat(finals(later, 60_000)).as("the one-minute window").singleElement()
        .satisfies(s -> assertThat(s.getRequestCount()).isEqualTo(3));
    assertThat(finals(later, 10_000)).as("no second final for the same window").isEmpty();
  }

  @Test
  void closesWindowsOnTheWallClockWhenNoRecordFollowsKeepingOneFinalPerWindow() {
    start(Map.of("monitor.early.update.interval.ms", "0"));
    monitor.send(MonitorHarness.result("v1", 1_000, 10));
    monitor.send(MonitorHarness.result("v1", 12_000, 10));

    monitor.driver.advanceWallClockTime(java.time.Duration.ofMillis(14_000));
    assertThat(finals(monitor.snapshots(), 10_000)).as("stream time would be 12 s; the wall clock is 14 s: not yet").isEmpty();

    monitor.driver.advanceWallClockTime(java.time.Duration.ofMillis(1_250));
    List<MetricsSnapshot> first = finals(monitor.snapshots(), 10_000);
    assertThat(first).as("window [0, 10 s) final within a tick of 15 s on the wall clock, with no further record").singleElement()
        .satisfies(s -> assertThat(s.getRequestCount()).isEqualTo(1));

    monitor.driver.advanceWallClockTime(java.time.Duration.ofMillis(10_000));
    List<MetricsSnapshot> second = finals(monitor.snapshots(), 10_000);
    assertThat(second).as("window [10 s, 20 s) closes at 25 s; the first is not repeated").singleElement()
        .satisfies(s -> assertThat(s.getWindowStart()).isEqualTo(T0.plusSeconds(10)));

    monitor.send(MonitorHarness.result("v1", 9_000, 10));
    monitor.driver.advanceWallClockTime(java.time.Duration.ofMillis(60_000));
    List<MetricsSnapshot> later = monitor.snapshots();
    assertThat(finals(later, 10_000)).as("a record for a window closed on the wall clock is late, not a second final").isEmpty();
    assertThat(finals(later, 60_000)).as("the one-minute window, closed at 65 s, still open when the 9 s record came").singleElement()
        .satisfies(s -> assertThat(s.getRequestCount()).isEqualTo(3));
  }

  @Test
  void aBacklogOlderThanTheWallClockIsNotMadeLateAndStillClosesOnceIdle() {
    start(Map.of("monitor.early.update.interval.ms", "0", "monitor.window.sizes.ms", "10000"));
    long hourAgo = -3_600_000;
    monitor.send(MonitorHarness.result("v1", hourAgo + 1_000, 10));
    monitor.driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));
    monitor.send(MonitorHarness.result("v1", hourAgo + 2_000, 10));
    monitor.driver.advanceWallClockTime(java.time.Duration.ofSeconds(10));
    assertThat(finals(monitor.snapshots(), 10_000)).as("the replayed window is 12 s of idle time past its start, not closed").isEmpty();

    monitor.driver.advanceWallClockTime(java.time.Duration.ofSeconds(5));

    assertThat(finals(monitor.snapshots(), 10_000)).as("closed once idle time passed its end plus grace").singleElement()
        .satisfies(s -> assertThat(s.getRequestCount()).isEqualTo(2))
        .satisfies(s -> assertThat(s.getWindowStart()).isEqualTo(T0.plusMillis(hourAgo)));
  }

  @Test
  void countsALateRecordWithinTheGracePeriodAndDropsOneAfterIt() {
    start(Map.of("monitor.early.update.interval.ms", "0", "monitor.window.sizes.ms", "10000"));
    monitor.send(MonitorHarness.result("v1", 1_000, 10));
    monitor.tick(12_000);
    monitor.send(MonitorHarness.result("v1", 9_000, 10));
    monitor.tick(16_000);
    monitor.send(MonitorHarness.result("v1", 9_500, 10));
    monitor.tick(30_000);

    assertThat(finals(monitor.snapshots(), 10_000)).singleElement()
        .satisfies(s -> assertThat(s.getRequestCount()).as("on time, late within grace; not the one after").isEqualTo(2));
  }

  @Test
  void emitsEarlyPartialUpdatesWhileTheWindowIsOpenAndNoneAfterItsFinal() {
    start(Map.of("monitor.window.sizes.ms", "10000", "monitor.early.update.interval.ms", "1000"));
    monitor.send(MonitorHarness.result("v1", 100, 10));
    monitor.send(MonitorHarness.result("v1", 200, 10));
    monitor.tick(1_500);
    List<MetricsSnapshot> early = monitor.snapshots();
    assertThat(early).singleElement().satisfies(s -> {
      assertThat(s.getFinal$()).isFalse();
      assertThat(s.getRequestCount()).as("the latest state, once per interval").isEqualTo(2);
    });

    monitor.send(MonitorHarness.result("v1", 2_000, 10));
    monitor.tick(15_000);
    monitor.tick(20_000);
    List<MetricsSnapshot> rest = monitor.snapshots();
    assertThat(rest).filteredOn(MetricsSnapshot::getFinal$).singleElement()
        .satisfies(s -> assertThat(s.getRequestCount()).isEqualTo(3));
    assertThat(rest.get(rest.size() - 1).getFinal$()).as("the final is the window's last word").isTrue();
  }

  @Test
  void aPartialUpdatesRateIsOverTheTimeItsWindowHasRunAndTheFinalsOverTheWholeWindow() {
    start(Map.of("monitor.window.sizes.ms", "10000", "monitor.early.update.interval.ms", "1000"));
    for (int i = 0; i < 5; i++) {
      monitor.send(MonitorHarness.result("v1", i * 1_000L, 10));
    }
    monitor.tick(5_000);
    assertThat(monitor.snapshots()).as("5 requests in the first 5 s: 1/s so far, not 5 over the whole 10 s window")
        .last().satisfies(s -> {
          assertThat(s.getFinal$()).isFalse();
          assertThat(s.getThroughputPerS()).isCloseTo(1.0, within(0.25));
        });

    monitor.tick(15_000);
    monitor.tick(20_000);
    assertThat(monitor.snapshots()).filteredOn(MetricsSnapshot::getFinal$).singleElement()
        .satisfies(s -> assertThat(s.getThroughputPerS()).isCloseTo(0.5, within(1e-9)));
  }

  @Test
  void takesBatchFiguresFromBatchEventsQueueTimeFromRequestEventsAndRejectionsPerModel() {
    start(Map.of("monitor.early.update.interval.ms", "0", "monitor.window.sizes.ms", "10000"));
    monitor.sendBatch("v1", 1_000, 8, 100, 150);
    monitor.sendBatch("v1", 2_000, 4, 100, 100);
    monitor.sendRequestEvent("v1", 1_000, 4.0);
    monitor.sendRequestEvent("v1", 2_000, 8.0);
    monitor.sendRejection(MODEL, ReasonCode.RATE_LIMITED, 3_000);
    monitor.sendRejection(MODEL, ReasonCode.RATE_LIMITED, 3_500);
    monitor.sendRejection(null, ReasonCode.DESERIALIZATION_FAILED, 4_000);
    monitor.tick(15_000);

    List<MetricsSnapshot> snapshots = monitor.snapshots();
    assertThat(snapshots).filteredOn(s -> s.getModelVersion().equals("v1")).singleElement().satisfies(s -> {
      assertThat(s.getMeanBatchSize()).isEqualTo(6.0);
      assertThat(s.getPaddingRatio()).isEqualTo(1.25);
      assertThat(s.getTokensPerS()).isEqualTo(20.0);
      assertThat(s.getMeanQueuedMs()).isCloseTo(6.0, within(1e-9));
      assertThat(s.getRequestCount()).as("counts come from results only").isZero();
      assertThat(s.getLatency()).isNull();
    });
    assertThat(snapshots).filteredOn(s -> s.getModel().equals(MODEL) && s.getModelVersion().equals("*")).singleElement()
        .satisfies(s -> assertThat(s.getRejectionCounts()).containsExactlyEntriesOf(Map.of("RATE_LIMITED", 2L)));
    assertThat(snapshots).filteredOn(s -> s.getModel().equals("*")).singleElement()
        .satisfies(s -> assertThat(s.getRejectionCounts()).containsExactlyEntriesOf(Map.of("DESERIALIZATION_FAILED", 1L)));
  }

  @Test
  void reportsVersionsOfAnAbSplitSideBySideInTheSameWindow() {
    start(Map.of("monitor.early.update.interval.ms", "0", "monitor.window.sizes.ms", "10000"));
    monitor.send(MonitorHarness.result("a", 1_000, 10));
    monitor.send(MonitorHarness.result("b", 1_000, 10));
    monitor.send(MonitorHarness.result("b", 2_000, 10));
    monitor.tick(15_000);

    assertThat(monitor.snapshots()).extracting(MetricsSnapshot::getModelVersion, MetricsSnapshot::getWindowStart,
            MetricsSnapshot::getRequestCount)
        .containsExactlyInAnyOrder(tuple("a", T0, 1L), tuple("b", T0, 2L));
  }

  @Test
  void countsAShadowVersionsResultsInItsOwnSnapshots() {
    start(Map.of("monitor.early.update.interval.ms", "0", "monitor.window.sizes.ms", "10000"));
    monitor.send(MonitorHarness.result("a", 1_000, 10));
    monitor.sendShadow(MonitorHarness.result("shadow-b", 1_000, 30));
    monitor.sendShadow(MonitorHarness.result("shadow-b", 2_000, 50));
    monitor.tick(15_000);

    List<MetricsSnapshot> snapshots = monitor.snapshots();
    assertThat(snapshots).extracting(MetricsSnapshot::getModelVersion, MetricsSnapshot::getRequestCount)
        .containsExactlyInAnyOrder(tuple("a", 1L), tuple("shadow-b", 2L));
    MetricsSnapshot shadow = snapshots.stream().filter(s -> s.getModelVersion().equals("shadow-b")).findFirst().orElseThrow();
    assertThat(shadow.getLatency().getMaxMs()).isEqualTo(50.0);
  }
}
