package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.Alert;
import dev.sluice.avro.AlertRule;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.QualityMetrics;
import dev.sluice.testkit.HeadlessChromium;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page in a real headless Chromium (Debian's chromium package) against a server on a real broker. */
@RealKafka(schemaRegistry = true)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {
  private static final Path TARGET = Path.of("target");
  /** Non-blank pixels of a chart's canvas: something was drawn. */
  private static final String INKED = "(function(id){var c=document.querySelector('#'+id+' canvas'),d=c.getContext('2d')"
      + ".getImageData(0,0,c.width,c.height).data,n=0;for(var i=3;i<d.length;i+=4){if(d[i]>0)n++;}return n;})";

  @Test
  void pageChartsHistoryWithGapsTotalsAndAlertsInWordsAndFollowsLiveSnapshots(KafkaCluster kafka) throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(kafka)) {
      Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
      for (int i = 0; i < 7; i++) {
        if (i == 3) {
          continue; // a window without traffic: drawn as a gap, not a line across it
        }
        MetricsSnapshot v1 = DashboardFixture.withLatencies(DashboardFixture.snapshot("v1", start.plusSeconds(10L * i), 40 + 3 * i, 60 + 5 * i),
            cycle(90, 20, 30, 40));
        if (i >= 5) {
          v1 = MetricsSnapshot.newBuilder(v1).setQuality(QualityMetrics.newBuilder().setLabelled(50).setAccuracy(0.9).setMacroPrecision(0.8)
              .setMacroRecall(0.8).setMacroF1(0.875).build()).build();
        }
        fixture.produce(fixture.topics.metrics(), v1);
        fixture.produce(fixture.topics.metrics(), DashboardFixture.withLatencies(DashboardFixture.snapshot("v2", start.plusSeconds(10L * i), 4 + i, 90 - 2 * i),
            cycle(10, 500)));
      }
      fixture.produce(fixture.topics.alerts(), Alert.newBuilder().setModel("minilm").setModelVersion("v2").setRule(AlertRule.THROUGHPUT_DROP)
          .setWindowStart(start.plusSeconds(50)).setWindowEnd(start.plusSeconds(60)).setObserved(0.23456).setExpected(1.23456)
          .setDetail("throughput 0.235/s is under the trailing baseline 1.235/s / 3.0").setRaisedAt(start.plusSeconds(61)).build());
      DashboardServer server = fixture.start();
      DashboardFixture.await("the history", DashboardFixture.WAIT, () -> server.received() >= 13);

      try (HeadlessChromium browser = HeadlessChromium.open(fixture.url(""), Files.createDirectories(TARGET.resolve("dashboard-browser")))) {
        awaitPage(browser, "the history event", "document.body.dataset.events >= 1");
        assertThat(text(browser, "versions")).contains("v1").contains("v2").contains("90.0 %").contains("0.875").contains("RATE_LIMITED 3");
        assertThat(points(browser, "chart-throughput")).isEqualTo(12);
        assertThat(points(browser, "chart-latency")).as("p99 and p50 of each version").isEqualTo(24);
        assertThat(points(browser, "chart-failed")).isEqualTo(12);
        assertThat(points(browser, "chart-rejections")).as("two reasons, six windows").isEqualTo(12);
        assertThat(points(browser, "chart-cache")).isEqualTo(12);
        assertThat(points(browser, "chart-quality")).as("accuracy and F1 of v1's two labelled windows").isEqualTo(4);
        assertThat(points(browser, "chart-batch")).isEqualTo(12);
        for (String chart : new String[] {"chart-throughput", "chart-latency", "chart-quality"}) {
          assertThat(browser.evaluate(INKED + "('" + chart + "')").asInt()).as(chart + " has drawn pixels").isGreaterThan(500);
        }
        assertThat(browser.evaluate("JSON.stringify(window.sluice.charts['chart-throughput'].plot.data[1])").asText())
            .as("six windows and a null where the missing one was").isEqualTo("[40,43,46,null,52,55,58]");
        assertThat(text(browser, "total-throughput")).as("v1 58 + v2 10 in the newest window").isEqualTo("68.0");
        assertThat(Double.parseDouble(text(browser, "total-p99"))).as("merged sketches: v2's ten 500 ms of 100").isBetween(497.0, 503.0);
        assertThat(text(browser, "total-window")).contains("10 s window").contains("final");
        assertThat(text(browser, "alerts")).contains("Throughput drop · minilm v2 · " + localTime(browser, start.plusSeconds(50)) + "–"
            + localTime(browser, start.plusSeconds(60)) + ": 0.23 req/s against a usual 1.23 req/s.")
            .contains("Raised when a window carries a fraction of the mean throughput")
            .contains("Raised at " + localTime(browser, start.plusSeconds(61)) + ".").doesNotContain("Invalid").doesNotContain("0.2345").doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
        assertThat(text(browser, "last-update")).contains("s ago");

        hoverAndReadTooltip(browser, start.plusSeconds(50).toEpochMilli());

        DashboardFixture.await("the page's /events stream", DashboardFixture.WAIT, () -> server.streams() >= 1);
        MetricsSnapshot partial = MetricsSnapshot.newBuilder(DashboardFixture.withLatencies(DashboardFixture.snapshot("v2", start.plusSeconds(70), 77.5, 4321.5), 4321))
            .setFinal$(false).build();
        fixture.produce(fixture.topics.metrics(), partial);
        awaitPage(browser, "the live snapshot's totals", "document.getElementById('total-throughput').textContent === '77.5'");

        assertThat(Double.parseDouble(text(browser, "total-p99"))).isBetween(4290.0, 4350.0);
        assertThat(text(browser, "total-window")).contains("partial");
        assertThat(text(browser, "versions")).contains("partial");
        assertThat(points(browser, "chart-throughput")).isEqualTo(13);
        assertThat(text(browser, "connection")).isEqualTo("live");
        save(browser, "dashboard-screenshot.png");

        // A one-second window size: after two seconds with no snapshot, the badge says the figures are stale.
        fixture.produce(fixture.topics.metrics(), MetricsSnapshot.newBuilder(DashboardFixture.snapshot("v1", start.plusSeconds(80), 5, 50))
            .setWindowEnd(start.plusSeconds(81)).build());
        awaitPage(browser, "the one-second window size", "document.getElementById('window-size').options.length === 2");
        browser.evaluate("(function(){var s=document.getElementById('window-size');s.value='1000';s.dispatchEvent(new Event('change'));})()");
        awaitPage(browser, "the stale badge", "document.getElementById('connection').dataset.state === 'stale'");
        assertThat(browser.evaluate("document.getElementById('connection').title").asText()).contains("more than two 1 s windows");
      }
    }
  }

  /** Moves the mouse over v1's throughput point of a window, the way a user would, and reads the tooltip. */
  private static void hoverAndReadTooltip(HeadlessChromium browser, long windowStartMs) throws Exception {
    JsonNode at = browser.evaluate("(function(){var u=window.sluice.charts['chart-throughput'].plot,i=u.data[0].indexOf(" + windowStartMs / 1000
        + "),r=u.over.getBoundingClientRect();window.scrollTo(0,0);return [r.left+u.valToPos(u.data[0][i],'x'),r.top+u.valToPos(u.data[1][i],'y')];})()");
    browser.moveMouse(at.get(0).asDouble(), at.get(1).asDouble());
    awaitPage(browser, "the tooltip", "document.querySelector('#chart-throughput .tooltip').style.display === 'block'");
    String expectedTime = localTime(browser, Instant.ofEpochMilli(windowStartMs));
    assertThat(browser.evaluate("document.querySelector('#chart-throughput .tooltip').textContent").asText())
        .isEqualTo(expectedTime + " (10 s window)minilm v1: 55.0minilm v2: 9.00");
    save(browser, "dashboard-tooltip-screenshot.png");
  }

  /** The time as the page writes it: 24-hour local time of the browser. */
  private static String localTime(HeadlessChromium browser, Instant time) throws Exception {
    return browser.evaluate("new Date(" + time.toEpochMilli()
        + ").toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false})").asText();
  }

  /** {@code n} latencies taking the values in turn. */
  private static double[] cycle(int n, double... values) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = values[i % values.length];
    }
    return out;
  }

  private static int points(HeadlessChromium browser, String chart) throws Exception {
    return browser.evaluate("+document.getElementById('" + chart + "').dataset.points").asInt();
  }

  @Test
  void pageRendersSensiblyBeforeAnyMetricsArrive(KafkaCluster kafka) throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(kafka)) {
      fixture.start();

      try (HeadlessChromium browser = HeadlessChromium.open(fixture.url(""), Files.createDirectories(TARGET.resolve("dashboard-browser-empty")))) {
        awaitPage(browser, "the empty history", "document.body.dataset.events >= 1");

        assertThat(text(browser, "versions")).contains("No metrics yet");
        assertThat(text(browser, "total-throughput")).isEqualTo("–");
        assertThat(text(browser, "chart-quality")).contains("No feedback yet");
        assertThat(text(browser, "last-update")).isEqualTo("never");
        assertThat(text(browser, "alerts")).contains("No alerts");
        assertThat(text(browser, "chart-throughput")).isEqualTo("Waiting for data…");
        save(browser, "dashboard-empty-screenshot.png");
      }
    }
  }

  private static void awaitPage(HeadlessChromium browser, String what, String condition) throws Exception {
    long deadline = System.nanoTime() + DashboardFixture.WAIT.toNanos();
    // Until the document has loaded, the condition may throw (no body yet): that is "not yet".
    while (!browser.evaluate("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()").asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting in the page for " + what + " (" + condition + ")");
      }
      Thread.sleep(100);
    }
  }

  private static String text(HeadlessChromium browser, String id) throws Exception {
    JsonNode value = browser.evaluate("document.getElementById('" + id + "').textContent");
    return value.asText().strip();
  }

  private static void save(HeadlessChromium browser, String name) throws Exception {
    Path png = TARGET.resolve(name).toAbsolutePath();
    Files.write(png, browser.fullPageScreenshot());
    assertThat(Files.size(png)).isGreaterThan(10_000);
    System.out.println("Dashboard screenshot: " + png);
  }
}
