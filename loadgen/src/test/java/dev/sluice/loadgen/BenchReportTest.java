package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  private static final long MS = 1_000_000L;

  @Test
  void jsonCarriesTheConfigTheCountsTheRatesAndTheLatencyPercentiles(@TempDir Path dir) throws Exception {
    BenchReport report = report(false);
    Path file = dir.resolve("r.json");

    ReportJson.write(report, file);
    JsonNode json = new ObjectMapper().readTree(file.toFile());

    assertThat(json.get("run_id").asText()).isEqualTo("run");
    assertThat(json.get("accounted_for").asBoolean()).isFalse();
    JsonNode config = json.get("config");
    assertThat(config.get("mode").asText()).isEqualTo("open");
    assertThat(config.get("target_rate").asDouble()).isEqualTo(10.0);
    assertThat(config.get("count").asLong()).isEqualTo(4);
    assertThat(config.get("duration_s").isNull()).isTrue();
    assertThat(config.get("warmup_count").asLong()).isEqualTo(1);
    assertThat(config.get("text_source").asText()).isEqualTo("builtin");
    assertThat(config.get("prefix").asText()).isEqualTo("p");
    JsonNode measured = json.get("measured");
    assertThat(measured.get("sent").asLong()).isEqualTo(4);
    assertThat(measured.get("ok").asLong()).isEqualTo(2);
    assertThat(measured.get("cached").asLong()).isEqualTo(1);
    assertThat(measured.get("error").asLong()).isZero();
    assertThat(measured.get("rejected").asLong()).isEqualTo(1);
    assertThat(measured.get("rejected_by_reason").get("PAYLOAD_TOO_LARGE").asLong()).isEqualTo(1);
    assertThat(measured.get("missing").asLong()).isEqualTo(1);
    assertThat(measured.get("duplicates").asLong()).isEqualTo(1);
    assertThat(measured.get("send_rate").asDouble()).isEqualTo(10.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(measured.get("outcome_throughput").asDouble()).isPositive();
    JsonNode latency = measured.get("latency_ms");
    assertThat(latency.fieldNames()).toIterable().containsExactly("count", "mean", "p50", "p90", "p95", "p99", "p99_9", "max");
    assertThat(latency.get("max").asDouble()).isEqualTo(30.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(json.get("warmup").get("sent").asLong()).isEqualTo(1);
    assertThat(json.get("generator").get("kept_up").asBoolean()).isTrue();
    assertThat(json.get("generator").get("lag_ms").get("p99").asDouble()).isZero();
    assertThat(json.get("missing_ids").get(0).asText()).isEqualTo("run-4");
    assertThat(json.get("duplicate_ids").get(0).asText()).isEqualTo("run-1");
  }

  @Test
  void tableShowsEachPhaseTheReasonsTheLatencyAndSaysLoudlyWhatWasNotAccountedFor() {
    String table = ReportTable.render(report(false));

    assertThat(table).contains("model minilm, open loop at 10.0 req/s, 4 requests after a warmup of 1 requests");
    assertThat(table).containsPattern("sent +4 +1");
    assertThat(table).containsPattern("  PAYLOAD_TOO_LARGE +1");
    assertThat(table).containsPattern("missing +1");
    assertThat(table).contains("p99.9").contains("kept up with the target rate");
    assertThat(table).contains("DUPLICATES: 1 outcomes").contains("read_committed").contains("MISSING: 1 requests").contains("run-4");
    assertThat(report(false).exitStatus()).isEqualTo(1);
  }

  @Test
  void tableOfAFullyAnsweredClosedLoopRunSaysSoAndExitsZero() {
    BenchReport report = report(true);

    assertThat(ReportTable.render(report)).contains("closed loop with 8 outstanding").contains("every request accounted for")
        .doesNotContain("generator:");
    assertThat(report.exitStatus()).isZero();
    assertThat(ReportJson.toJson(report).get("generator").get("kept_up").isNull()).isTrue();
  }

  /** Warmup request 0; measured 1..4: 1 OK (and a duplicate), 2 OK cached, 3 rejected, 4 missing (unless complete). */
  private static BenchReport report(boolean complete) {
    LoadMode mode = complete ? new LoadMode.ClosedLoop(8) : new LoadMode.OpenLoop(10);
    BenchSettings settings = new BenchSettings("minilm", null, mode, new Span.Requests(4), new Span.Requests(1),
        new TextPlan(new GeneratedSentences(1), 1, true, 0), Duration.ofSeconds(3));
    Ledger ledger = new Ledger("run");
    ledger.measuredFrom(1);
    for (int i = 0; i < 5; i++) {
      ledger.sent(i, i * 100 * MS, i * 100 * MS);
    }
    ledger.result("run-0", Status.OK, false, 50 * MS);
    ledger.result("run-1", Status.OK, false, 110 * MS);
    ledger.result("run-2", Status.OK, true, 230 * MS);
    ledger.rejection("run-3", ReasonCode.PAYLOAD_TOO_LARGE, 301 * MS);
    if (complete) {
      ledger.result("run-4", Status.OK, false, 420 * MS);
    } else {
      ledger.result("run-1", Status.OK, false, 330 * MS);
    }
    LatencyFigures noLag = LatencyFigures.of(new org.HdrHistogram.Histogram(3));
    GeneratorResult generator = new GeneratorResult(5, 0, 100 * MS, 400 * MS, complete ? null : noLag, null);
    return new BenchReport("run", Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:05Z"), settings,
        "localhost:9092", "http://localhost:8081", "p", generator, ledger.summary(), 0);
  }
}
