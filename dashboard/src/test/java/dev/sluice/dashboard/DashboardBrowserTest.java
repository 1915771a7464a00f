package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
  /** Non-blank pixels of a canvas: something was drawn. */
  private static final String INKED = "(function(id){var c=document.getElementById(id),d=c.getContext('2d')"
      + ".getImageData(0,0,c.width,c.height).data,n=0;for(var i=3;i<d.length;i+=4){if(d[i]>0)n++;}return n;})";

  @Test
  void pageChartsHistoryAndShowsASnapshotPublishedWhileItIsOpen(KafkaCluster kafka) throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(kafka)) {
      Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
      for (int i = 0; i < 6; i++) {
        fixture.produce(fixture.topics.metrics(), DashboardFixture.snapshot("v1", start.plusSeconds(10L * i), 40 + 3 * i, 60 + 5 * i));
        fixture.produce(fixture.topics.metrics(), DashboardFixture.snapshot("v2", start.plusSeconds(10L * i), 4 + i, 90 - 2 * i));
      }
      DashboardServer server = fixture.start();
      DashboardFixture.await("the history", DashboardFixture.WAIT, () -> server.received() >= 12);

      try (HeadlessChromium browser = HeadlessChromium.open(fixture.url(""), Files.createDirectories(TARGET.resolve("dashboard-browser")))) {
        awaitPage(browser, "the history event", "document.body.dataset.events >= 1");
        assertThat(text(browser, "versions")).contains("v1").contains("v2");
        for (String chart : new String[] {"chart-throughput", "chart-latency", "chart-batch"}) {
          assertThat(browser.evaluate("+document.getElementById('" + chart + "').dataset.points").asInt()).as(chart).isEqualTo(
              chart.equals("chart-latency") ? 36 : 12);
          assertThat(browser.evaluate(INKED + "('" + chart + "')").asInt()).as(chart + " has drawn pixels").isGreaterThan(500);
        }
        assertThat(browser.evaluate("+document.getElementById('chart-status').dataset.points").asInt()).isEqualTo(6);
        assertThat(browser.evaluate("+document.getElementById('chart-rejections').dataset.points").asInt()).isEqualTo(4);
        assertThat(text(browser, "last-update")).contains("s ago");

        DashboardFixture.await("the page's /events stream", DashboardFixture.WAIT, () -> server.streams() >= 1);
        fixture.produce(fixture.topics.metrics(), DashboardFixture.snapshot("v2", start.plusSeconds(60), 777.25, 4321.5));
        awaitPage(browser, "the live snapshot", "document.getElementById('latest-throughput').textContent === '777.25'");

        assertThat(text(browser, "latest-p99")).isEqualTo("4321.5");
        assertThat(text(browser, "latest-version")).isEqualTo("minilm v2");
        assertThat(browser.evaluate("+document.body.dataset.events").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(browser.evaluate("+document.getElementById('chart-throughput').dataset.points").asInt()).isEqualTo(13);
        assertThat(text(browser, "connection")).isEqualTo("live");
        save(browser, "dashboard-screenshot.png");
      }
    }
  }

  @Test
  void pageRendersSensiblyBeforeAnyMetricsArrive(KafkaCluster kafka) throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(kafka)) {
      fixture.start();

      try (HeadlessChromium browser = HeadlessChromium.open(fixture.url(""), Files.createDirectories(TARGET.resolve("dashboard-browser-empty")))) {
        awaitPage(browser, "the empty history", "document.body.dataset.events >= 1");

        assertThat(text(browser, "versions")).contains("No metrics yet");
        assertThat(text(browser, "latest-throughput")).isEqualTo("–");
        assertThat(text(browser, "last-update")).isEqualTo("never");
        assertThat(text(browser, "alerts")).contains("No alerts");
        assertThat(browser.evaluate(INKED + "('chart-throughput')").asInt()).as("the 'waiting for data' text").isGreaterThan(0);
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
    Files.write(png, browser.screenshot());
    assertThat(Files.size(png)).isGreaterThan(10_000);
    System.out.println("Dashboard screenshot: " + png);
  }
}
