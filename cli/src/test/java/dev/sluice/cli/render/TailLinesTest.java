package dev.sluice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.AuditEvent;
import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.avro.Tensor;
import dev.sluice.schemas.testing.Samples;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailLinesTest {

  @Test
  void resultLineSummarizesAnEmbeddingWithItsFirstValues() {
    assertThat(TailLines.of(Samples.embeddingResult("r-1")))
        .isEqualTo("r-1  minilm/v1  OK  embedding[5] 0.042 -0.013 0.100 ...  e2e 12.3 ms  batch 8  worker w-1");
  }

  @Test
  void resultLineShowsTheBestClassesAndCached() {
    assertThat(TailLines.of(Samples.classResult("r-2")))
        .isEqualTo("r-2  sentiment/v3  OK cached  positive 0.912, negative 0.088  e2e 1.0 ms");
  }

  @Test
  void resultLineShowsTheErrorInsteadOfTheOutput() {
    assertThat(TailLines.of(Samples.errorResult("r-3"))).isEqualTo("r-3  minilm/v1  ERROR  error: model failed: boom  e2e 3.0 ms  worker w-2");
  }

  @Test
  void aResultARemoteEndpointAnsweredNamesIt() {
    InferenceResult result = InferenceResult.newBuilder(Samples.embeddingResult("r-5")).setEndpoint("triton").build();
    assertThat(TailLines.of(result)).endsWith("worker w-1  via triton");
  }

  @Test
  void tensorOutputShowsItsShapeAndShadowIsMarked() {
    InferenceResult result = InferenceResult.newBuilder(Samples.embeddingResult("r-4"))
        .setOutput(new Tensor(List.of(2, 1), List.of(1f, 2f))).setShadow(true).setStatus(Status.OK).build();

    assertThat(TailLines.of(result)).contains("OK shadow  tensor[2x1] 1.000 2.000  e2e");
  }

  @Test
  void manyClassesAreCutAfterTheThirdBest() {
    assertThat(OutputSummary.of(new ClassScores(List.of(
        new ClassScore("a", 0.4f), new ClassScore("b", 0.3f), new ClassScore("c", 0.2f), new ClassScore("d", 0.1f)))))
        .isEqualTo("a 0.400, b 0.300, c 0.200, ...");
    assertThat(OutputSummary.of(null)).isEqualTo("no output");
  }

  @Test
  void rejectedLineSaysReasonStageRequestAndDetail() {
    assertThat(TailLines.of(Samples.rejected("r-5")))
        .isEqualTo("RATE_LIMITED  stage RATE_LIMIT  request r-5  model minilm  tenant acme  tenant acme is over 10 requests/s");
  }

  @Test
  void batchEventLineHasSizeTimesPaddingAndCounts() {
    assertThat(TailLines.of(Samples.batch()))
        .isEqualTo("BATCH  minilm/v1  batch 32  queued 3.1 ms  inference 12.0 ms  padding 1.25x  ok 31 error 1 expired 0  cpu  worker w-1");
  }

  @Test
  void requestEventLineHasOutcomeAndTimes() {
    assertThat(TailLines.of(Samples.request("r-6")))
        .isEqualTo("REQUEST  minilm/v1  r-6  OK  queued 1.0 ms  inference 2.0 ms  e2e 4.5 ms");
  }

  private static AuditEvent.Builder mcpAudit() {
    return AuditEvent.newBuilder().setTime(Instant.parse("2026-12-08T01:00:00Z")).setGateway("mcp").setClientAddress("stdio")
        .setMethod("tools/call").setPath("set_traffic").setStatus(200).setLatencyMs(12.34).setRequestIds(List.of());
  }

  @Test
  void auditLineShowsWhatATrafficChangeDid() {
    assertThat(TailLines.of(mcpAudit().setAction("minilm: v2 10 -> 100, v1 90 -> 0").build()))
        .isEqualTo("2026-12-08T01:00:00Z  mcp  anonymous  stdio  tools/call set_traffic  200  12.3 ms  0 requests"
            + "  minilm: v2 10 -> 100, v1 90 -> 0");
  }

  @Test
  void auditLineTellsADryRunFromARefusal() {
    assertThat(TailLines.of(mcpAudit().setReason("dry_run").setAction("minilm: v2 10 -> 20").build()))
        .endsWith("0 requests  dry run  minilm: v2 10 -> 20");
    assertThat(TailLines.of(mcpAudit().setStatus(403).setReason("writes_not_allowed").build())).endsWith("0 requests  refused: writes_not_allowed");
  }
}
