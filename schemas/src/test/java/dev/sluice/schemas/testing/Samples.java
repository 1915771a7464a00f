package dev.sluice.schemas.testing;

import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Records of the tailed topics, for tests. */
public final class Samples {
  public static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

  private Samples() {}

  /** An OK result with a 5-element embedding. */
  public static InferenceResult embeddingResult(String requestId) {
    return InferenceResult.newBuilder()
        .setRequestId(requestId).setModel("minilm").setModelVersion("v1").setStatus(Status.OK)
        .setOutput(new Embedding(List.of(0.0421f, -0.0131f, 0.1f, 0.2f, 0.3f)))
        .setTimings(Timings.newBuilder().setEndToEndMs(12.34).setInferenceMs(5).build())
        .setBatchSize(8).setWorkerId("w-1").setCompletedAt(AT).build();
  }

  /** An OK result with class scores, answered from the cache. */
  public static InferenceResult classResult(String requestId) {
    return InferenceResult.newBuilder()
        .setRequestId(requestId).setModel("sentiment").setModelVersion("v3").setStatus(Status.OK).setCached(true)
        .setOutput(new ClassScores(List.of(new ClassScore("positive", 0.912f), new ClassScore("negative", 0.088f))))
        .setTimings(new Timings(0.0, 0.0, 0.0, 1.0)).setCompletedAt(AT).build();
  }

  /** An ERROR result. */
  public static InferenceResult errorResult(String requestId) {
    return InferenceResult.newBuilder()
        .setRequestId(requestId).setModel("minilm").setModelVersion("v1").setStatus(Status.ERROR)
        .setError("model failed: boom").setTimings(new Timings(0.0, 0.0, 0.0, 3.0)).setWorkerId("w-2").setCompletedAt(AT).build();
  }

  /** A rate-limited request. */
  public static RejectedRequest rejected(String requestId) {
    return RejectedRequest.newBuilder()
        .setRequestId(requestId).setModel("minilm").setTenant("acme").setReason(ReasonCode.RATE_LIMITED).setStage(Stage.RATE_LIMIT)
        .setDetail("tenant acme is over 10 requests/s").setOriginalValue(ByteBuffer.wrap("raw".getBytes(StandardCharsets.UTF_8)))
        .setRejectedAt(AT).build();
  }

  /** A batch event. */
  public static MetricEvent batch() {
    return MetricEvent.newBuilder()
        .setKind(MetricKind.BATCH).setModel("minilm").setModelVersion("v1").setWorkerId("w-1").setEventTime(AT)
        .setBatchSize(32).setQueuedMs(3.14).setInferenceMs(12).setRealTokens(800).setPaddedTokens(1000)
        .setDevice("cpu").setOkCount(31).setErrorCount(1).build();
  }

  /** A request event. */
  public static MetricEvent request(String requestId) {
    return MetricEvent.newBuilder()
        .setKind(MetricKind.REQUEST).setModel("minilm").setModelVersion("v1").setEventTime(AT).setRequestId(requestId)
        .setStatus(Status.OK).setQueuedMs(1).setInferenceMs(2).setEndToEndMs(4.5).build();
  }
}
