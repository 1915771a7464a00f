package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the benchmark main end to end on a small workload: a real broker, both topologies. Checks
 * the accounting and that both rates were measured; never the rates' values.
 */
class IngressBenchmarkTest {
  @TempDir Path dir;

  @Test
  void accountsForEveryRequestInBothTopologiesAndReportsBothRates() throws IOException {
    Path json = dir.resolve("report.json");

    int status = IngressBenchmark.execute("--requests", "2000", "--warmup", "0", "--data-dir", dir.resolve("data").toString(),
        "--json", json.toString());

    assertThat(status).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    JsonNode outcomes = report.at("/ingress/outcomes");
    long sum = outcomes.get("routed").asLong() + outcomes.get("rejected").asLong() + outcomes.get("answeredFromCache").asLong()
        + outcomes.get("dedupDrops").asLong();
    assertThat(sum).isEqualTo(2000);
    assertThat(outcomes.get("rejected").asLong()).isEqualTo(report.at("/expected/rejected").asLong()).isPositive();
    assertThat(outcomes.get("dedupDrops").asLong()).isEqualTo(report.at("/expected/dedupDrops").asLong()).isPositive();
    assertThat(outcomes.get("routed").asLong()).isPositive();
    assertThat(report.at("/passThrough/outputs/sluice.passthrough").asLong()).isEqualTo(2000);
    assertThat(report.at("/passThrough/recordsPerSecond").asDouble()).isPositive();
    assertThat(report.at("/ingress/recordsPerSecond").asDouble()).isPositive();
    assertThat(report.at("/passThrough/offsetsCommitted").asBoolean()).isTrue();
    assertThat(report.at("/ingress/offsetsCommitted").asBoolean()).isTrue();
    assertThat(report.at("/accountingHolds").asBoolean()).isTrue();
  }

  @Test
  void refusesANonPositiveRequestCountAsAUsageError() {
    assertThat(IngressBenchmark.execute("--requests", "0")).isEqualTo(2);
  }
}
