package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@RealKafka(schemaRegistry = true)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DashboardServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema ALERT = new Schema.Parser().parse("""
      {"type": "record", "name": "TestAlert", "namespace": "dev.sluice.test",
       "fields": [{"name": "model", "type": "string"}, {"name": "kind", "type": "string"}, {"name": "message", "type": "string"}]}
      """);

  @Test
  void servesHistoryFromBeforeItStartedAndStreamsNewSnapshotsAndAlerts(KafkaCluster kafka) throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(kafka)) {
      Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
      fixture.produce(fixture.topics.metrics(), DashboardFixture.snapshot("v1", start, 40.0, 80.0));
      fixture.produce(fixture.topics.metrics(), DashboardFixture.snapshot("v2", start, 4.5, 95.0));
      DashboardServer server = fixture.start();

      DashboardFixture.await("the two earlier snapshots", DashboardFixture.WAIT, () -> server.received() >= 2);
      JsonNode history = JSON.readTree(fixture.get("api/snapshot"));
      assertThat(history.path("series")).hasSize(2);
      assertThat(history.path("series").get(0).path("version").asText()).isEqualTo("v1");
      JsonNode v2 = history.path("series").get(1).path("points").get(0);
      assertThat(v2.path("throughput").asDouble()).isEqualTo(4.5);
      assertThat(v2.path("latency").path("p99").asDouble()).isEqualTo(95.0);
      assertThat(v2.path("status").path("ERROR").asLong()).isEqualTo(1);
      assertThat(v2.path("windowMs").asLong()).isEqualTo(10_000);

      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      HttpResponse<InputStream> events = fixture.http.send(HttpRequest.newBuilder(URI.create(fixture.url("events"))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
      Thread reader = readLines(events.body(), lines);
      assertThat(nextData(lines, "history").path("series")).hasSize(2);
      DashboardFixture.await("the /events stream to subscribe", DashboardFixture.WAIT, () -> server.streams() == 1);

      fixture.produce(fixture.topics.metrics(), DashboardFixture.snapshot("v1", start.plusSeconds(10), 55.25, 70.0));
      JsonNode live = nextData(lines, "snapshot");
      assertThat(live.path("version").asText()).isEqualTo("v1");
      assertThat(live.path("throughput").asDouble()).isEqualTo(55.25);
      JsonNode totals = nextData(lines, "totals");
      assertThat(totals.path("windowStart").asLong()).isEqualTo(start.plusSeconds(10).toEpochMilli());
      assertThat(totals.path("throughput").asDouble()).as("v1 alone has a snapshot of that window").isEqualTo(55.25);

      GenericRecord alert = new GenericData.Record(ALERT);
      alert.put("model", "minilm");
      alert.put("kind", "LATENCY_REGRESSION");
      alert.put("message", "p99 doubled");
      fixture.produce(fixture.topics.alerts(), alert);
      assertThat(nextData(lines, "alert").path("kind").asText()).isEqualTo("LATENCY_REGRESSION");
      JsonNode after = JSON.readTree(fixture.get("api/snapshot"));
      assertThat(after.path("alerts").get(0).path("message").asText()).isEqualTo("p99 doubled");
      assertThat(after.path("series").get(0).path("points")).hasSize(2);
      assertThat(JSON.readTree(fixture.get("health")).path("status").asText()).isEqualTo("UP");

      server.close();
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(reader.isAlive()).as("the /events stream ends when the server closes").isFalse();
    }
  }

  @Test
  void servesThePageAndItsScriptsFromTheClasspath(KafkaCluster kafka) throws Exception {
    try (DashboardFixture fixture = new DashboardFixture(kafka)) {
      fixture.start();

      assertThat(fixture.get("")).contains("<div class=\"chart\" id=\"chart-throughput\"").contains("dashboard.js")
          .contains("vendor/uPlot.iife.min.js").doesNotContain("https://");
      assertThat(fixture.get("dashboard.js")).contains("new EventSource('events')");
      assertThat(fixture.get("vendor/uPlot.iife.min.js")).as("vendored by the build from the npm registry").contains("uPlot");
      assertThat(fixture.get("vendor/uPlot.min.css")).contains(".uplot");
      assertThat(fixture.get("vendor/uPlot.LICENSE")).contains("MIT");
      assertThat(JSON.readTree(fixture.get("api/snapshot")).path("lastUpdate").isNull()).isTrue();
      HttpResponse<String> missing = fixture.http.send(HttpRequest.newBuilder(URI.create(fixture.url("nothing-here"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
    }
  }

  private static Thread readLines(InputStream body, BlockingQueue<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        reader.lines().forEach(lines::add);
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        lines.add("closed: " + e);
      }
    }, "sse-reader");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The data of the next event of that name, skipping others and heartbeats. */
  private static JsonNode nextData(BlockingQueue<String> lines, String event) throws Exception {
    long deadline = System.nanoTime() + DashboardFixture.WAIT.toNanos();
    boolean named = false;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      if (line.startsWith("event: ")) {
        named = line.equals("event: " + event);
      } else if (named && line.startsWith("data: ")) {
        return JSON.readTree(line.substring("data: ".length()));
      }
    }
    throw new AssertionError("no " + event + " event within " + DashboardFixture.WAIT);
  }
}
