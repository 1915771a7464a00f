package dev.sluice.cli.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.PipelineFixture;
import dev.sluice.schemas.testing.Samples;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

@RealKafka(schemaRegistry = true)
class TailCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void printsResultsAsLinesAndStopsAtMax(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailres")) {
      pipeline.produce(pipeline.topics.results(), records("r-1", Samples.embeddingResult("r-1"), "r-2", Samples.errorResult("r-2"),
          "r-3", Samples.classResult("r-3")));

      CliRun run = CliRun.of(new TailCommand(), pipeline.with("results", "--from-beginning", "--max", "2"));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.outLines()).containsExactly(
          "r-1  minilm/v1  OK  embedding[5] 0.042 -0.013 0.100 ...  e2e 12.3 ms  batch 8  worker w-1",
          "r-2  minilm/v1  ERROR  error: model failed: boom  e2e 3.0 ms  worker w-2");
    }
  }

  @Test
  void printsResultsAsJsonObjectsWithEmbeddingsAsArrays(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailjson")) {
      pipeline.produce(pipeline.topics.results(), records("r-1", Samples.embeddingResult("r-1")));

      CliRun run = CliRun.of(new TailCommand(), pipeline.with("results", "--json", "--from-beginning", "--max", "1"));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.outLines()).hasSize(1);
      JsonNode result = JSON.readTree(run.outLines().get(0));
      assertThat(result.get("request_id").asText()).isEqualTo("r-1");
      assertThat(result.get("output").get("vector")).hasSize(5);
      assertThat(result.get("timings").get("end_to_end_ms").asDouble()).isEqualTo(12.34);
    }
  }

  @Test
  void printsRejectionsAndMetricEventsInBothModes(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailmix")) {
      pipeline.produce(pipeline.topics.rejected(), records("r-5", Samples.rejected("r-5")));
      pipeline.produce(pipeline.topics.metricEvents(), records("b", Samples.batch(), "r-6", Samples.request("r-6")));

      CliRun rejected = CliRun.of(new TailCommand(), pipeline.with("rejected", "--from-beginning", "--max", "1"));
      CliRun rejectedJson = CliRun.of(new TailCommand(), pipeline.with("rejected", "--json", "--from-beginning", "--max", "1"));
      CliRun metrics = CliRun.of(new TailCommand(), pipeline.with("events", "--from-beginning", "--max", "2"));
      CliRun metricsJson = CliRun.of(new TailCommand(), pipeline.with("events", "--from-beginning", "--max", "2", "--json"));

      assertThat(rejected.outLines()).containsExactly(
          "RATE_LIMITED  stage RATE_LIMIT  request r-5  model minilm  tenant acme  tenant acme is over 10 requests/s");
      assertThat(JSON.readTree(rejectedJson.out()).get("reason").asText()).isEqualTo("RATE_LIMITED");
      assertThat(metrics.outLines()).containsExactly(
          "BATCH  minilm/v1  batch 32  queued 3.1 ms  inference 12.0 ms  padding 1.25x  ok 31 error 1 expired 0  cpu  worker w-1",
          "REQUEST  minilm/v1  r-6  OK  queued 1.0 ms  inference 2.0 ms  e2e 4.5 ms");
      assertThat(metricsJson.outLines()).hasSize(2);
      assertThat(JSON.readTree(metricsJson.outLines().get(0)).get("batch_size").asInt()).isEqualTo(32);
      assertThat(List.of(rejected.exit(), rejectedJson.exit(), metrics.exit(), metricsJson.exit())).containsOnly(0);
    }
  }

  @Test
  void rendersMonitoringSnapshotsAsALiveTable(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailsnap")) {
      MetricsSnapshot snapshot = MetricsSnapshot.newBuilder().setModel("minilm").setModelVersion("v2")
          .setWindowStart(java.time.Instant.parse("2026-11-26T10:00:00Z")).setWindowEnd(java.time.Instant.parse("2026-11-26T10:00:10Z"))
          .setFinal$(true).setRequestCount(120).setThroughputPerS(12.0).setStatusCounts(Map.of("OK", 118L, "ERROR", 2L))
          .setRejectionCounts(Map.of("EXPIRED", 3L)).setLatency(new LatencySummary(40.0, 80.0, 95.5, 120.0, 45.0))
          .setMeanBatchSize(7.5).setPaddingRatio(1.08).build();
      pipeline.produce(pipeline.topics.metrics(), records("minilm/v2", snapshot));

      CliRun table = CliRun.of(new TailCommand(), pipeline.with("metrics", "--from-beginning", "--max", "1"));

      assertThat(table.exit()).isZero();
      assertThat(table.outLines()).hasSize(2);
      assertThat(table.outLines().get(0)).startsWith("WINDOW").contains("REQUESTS", "P99 MS");
      assertThat(table.outLines().get(1)).startsWith("10:00:00 10s").contains("minilm/v2", "final", "120", "12.0", "95.5", "7.5", "1.08",
          "EXPIRED 3");
    }
  }

  @Test
  void anUndecodableRecordIsReportedAndTailingGoesOn(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailbad")) {
      pipeline.produceRaw(pipeline.topics.results(), Map.of("junk", "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)));
      pipeline.produce(pipeline.topics.results(), records("r-1", Samples.embeddingResult("r-1")));

      CliRun run = CliRun.of(new TailCommand(), pipeline.with("results", "--from-beginning", "--max", "2"));

      assertThat(run.exit()).isZero();
      assertThat(run.err()).contains("undecodable record: Unknown magic byte")
          .contains("in record from topic " + pipeline.topics.results() + " partition 0 offset 0");
      assertThat(run.outLines()).singleElement().asString().startsWith("r-1  minilm/v1  OK");
    }
  }

  @Test
  void followsFromTheEndByDefault(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailend")) {
      pipeline.produce(pipeline.topics.results(), records("old", Samples.embeddingResult("old")));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> CliRun.commandLine(new TailCommand(), out, err)
          .execute(pipeline.with("results", "--max", "1", "--timeout-ms", "30000")));
      awaitText(err, "tailing " + pipeline.topics.results() + " from the end");

      pipeline.produce(pipeline.topics.results(), records("new", Samples.embeddingResult("new")));

      assertThat(tail.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(out.toString().lines().toList()).singleElement().asString().startsWith("new  minilm/v1  OK");
    }
  }

  @Test
  void stopsAfterTheTimeoutWithoutRecords(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailidle")) {
      CliRun run = CliRun.of(new TailCommand(), pipeline.with("shadow", "--timeout-ms", "300"));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void exitsOneWhenTheTimeoutEndsItBeforeMaxRecordsArrived(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailshort")) {
      pipeline.produce(pipeline.topics.results(), records("r-1", Samples.embeddingResult("r-1")));

      CliRun run = CliRun.of(new TailCommand(), pipeline.with("results", "--from-beginning", "--max", "3", "--timeout-ms", "500"));

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.outLines()).hasSize(1);
      assertThat(run.err()).contains("1 of the 3 records asked for arrived within --timeout-ms 500");
    }
  }

  @Test
  void startsAtTheFirstRecordWrittenSinceAGivenTime(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tailsince")) {
      pipeline.produce(pipeline.topics.results(), records("before", Samples.embeddingResult("before")));
      Thread.sleep(50);
      Instant cut = Instant.now();
      Thread.sleep(50);
      pipeline.produce(pipeline.topics.results(), records("after", Samples.embeddingResult("after")));

      CliRun run = CliRun.of(new TailCommand(), pipeline.with("results", "--since", cut.toString(), "--max", "1", "--timeout-ms", "5000"));
      CliRun ago = CliRun.of(new TailCommand(), pipeline.with("results", "--since", "1h", "--max", "2", "--timeout-ms", "5000"));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.outLines()).singleElement().asString().startsWith("after ");
      assertThat(run.err()).contains("from " + cut);
      assertThat(ago.exit()).as(ago.err()).isZero();
      assertThat(ago.outLines()).hasSize(2);
    }
  }

  @Test
  void sinceTakesATimeAgoOrAnInstant() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    assertThat(Since.parse("90s", clock)).isEqualTo(Instant.parse("2026-12-07T11:58:30Z"));
    assertThat(Since.parse("5m", clock)).isEqualTo(Instant.parse("2026-12-07T11:55:00Z"));
    assertThat(Since.parse("2h", clock)).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
    assertThat(Since.parse("1d", clock)).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
    assertThat(Since.parse("2026-12-01T00:00:00Z", clock)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThatThrownBy(() -> Since.parse("yesterday", clock)).hasMessageContaining("is neither a time ago");
  }

  @Test
  void anUnknownStreamIsAUsageError() {
    CliRun run = CliRun.of(new TailCommand(), "requests");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("expected one of [results, shadow, rejected, metrics, events, alerts, audit], got requests");
  }

  private static Map<String, SpecificRecord> records(Object... keysAndValues) {
    Map<String, SpecificRecord> records = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      records.put((String) keysAndValues[i], (SpecificRecord) keysAndValues[i + 1]);
    }
    return records;
  }

  private static void awaitText(StringWriter writer, String text) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!writer.toString().contains(text)) {
      assertThat(System.nanoTime()).as("waiting for \"%s\" in %s", text, writer).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
