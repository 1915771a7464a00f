package dev.sluice.schemas.serde;

import dev.sluice.avro.ClassQuality;
import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Engine;
import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.QualityMetrics;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.SourcePosition;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.avro.Timings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Named;

/**
 * One filled-in sample of every topic contract, and of every union branch of their inputs and
 * outputs. Shared with other modules' tests through this module's test jar.
 */
public final class SampleContracts {
  public static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);

  private SampleContracts() {}

  public static Stream<Named<SpecificRecord>> all() {
    return Stream.of(
        Named.of("InferenceRequest with TextInput", request(new TextInput("héllo wörld"))),
        Named.of("InferenceRequest with TensorInput", request(new TensorInput(List.of(2, 2), List.of(1.0f, -2.5f, 3.25f, 0.0f)))),
        Named.of("InferenceRequest with TabularInput", request(new TabularInput(features()))),
        Named.of("PreparedRequest", prepared()),
        Named.of("InferenceResult with Embedding", result(new Embedding(List.of(0.6f, 0.8f)))),
        Named.of("InferenceResult with ClassScores", result(new ClassScores(List.of(new ClassScore("spam", 0.9f), new ClassScore("ham", 0.1f))))),
        Named.of("InferenceResult with Tensor", result(new Tensor(List.of(1, 3), List.of(1f, 2f, 3f)))),
        Named.of("InferenceResult without output", result(null)),
        Named.of("RejectedRequest", rejected()),
        Named.of("MetricEvent", metricEvent()),
        Named.of("ModelDeployment", deployment()),
        Named.of("Feedback", Feedback.newBuilder().setRequestId("r-1").setModel("minilm").setLabel("spam").setObservedAt(T0).setSource("annotator").build()),
        Named.of("MetricsSnapshot", snapshot()));
  }

  public static InferenceRequest request(Object input) {
    return InferenceRequest.newBuilder()
        .setRequestId("r-1")
        .setModel("minilm")
        .setModelVersion("v2")
        .setTenant("acme")
        .setIdempotencyKey("k-1")
        .setDeadline(T0.plusSeconds(30))
        .setCreatedAt(T0)
        .setInput(input)
        .setTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .setAttributes(Map.of("source", "test"))
        .build();
  }

  private static Map<String, Double> features() {
    Map<String, Double> features = new HashMap<>();
    features.put("age", 42.0);
    features.put("income", null);
    return features;
  }

  private static PreparedRequest prepared() {
    return PreparedRequest.newBuilder()
        .setRequestId("r-1").setModel("minilm").setModelVersion("v2").setTenant(null)
        .setInput(new TextInput("hello")).setContentKey("sha256:abc").setTruncated(true).setShadow(false)
        .setDeadline(null).setCreatedAt(T0).setPreparedAt(T0.plusMillis(3)).setPreprocessMs(1.5)
        .setSource(new SourcePosition("sluice.requests", 3, 42L)).setAttributes(Map.of())
        .build();
  }

  private static InferenceResult result(Object output) {
    return InferenceResult.newBuilder()
        .setRequestId("r-1").setModel("minilm").setModelVersion("v2")
        .setStatus(output == null ? Status.EXPIRED : Status.OK).setOutput(output)
        .setError(output == null ? "deadline passed" : null).setCached(false).setShadow(false).setContentKey("sha256:abc")
        .setTimings(new Timings(1.0, 2.0, 3.0, 6.0)).setBatchSize(8).setWorkerId("worker-0").setCompletedAt(T0)
        .build();
  }

  private static RejectedRequest rejected() {
    return RejectedRequest.newBuilder()
        .setReason(ReasonCode.DESERIALIZATION_FAILED).setStage(Stage.DECODE)
        .setDetail("Unknown magic byte 0x7b in record from topic sluice.requests")
        .setOriginalKey(ByteBuffer.wrap("key".getBytes(StandardCharsets.UTF_8)))
        .setOriginalValue(ByteBuffer.wrap(new byte[] {0x7b, 0x22, 0x00, (byte) 0xff}))
        .setSource(new SourcePosition("sluice.requests", 0, 7L)).setRejectedAt(T0)
        .build();
  }

  private static MetricEvent metricEvent() {
    return MetricEvent.newBuilder()
        .setKind(MetricKind.BATCH).setModel("minilm").setModelVersion("v2").setWorkerId("worker-0").setEventTime(T0)
        .setStatus(Status.OK).setQueuedMs(4.0).setInferenceMs(12.5).setBatchSize(16).setRealTokens(900L).setPaddedTokens(1024L)
        .build();
  }

  private static ModelDeployment deployment() {
    return ModelDeployment.newBuilder()
        .setModel("minilm").setVersion("v2").setArtifactUri("classpath:models/minilm").setEngine(Engine.ONNX_RUNTIME)
        .setTask(Task.TEXT_EMBEDDING).setTrafficWeight(0.9).setShadow(false)
        .setLimits(ModelLimits.newBuilder().setMaxTextChars(2000).setMaxPayloadBytes(65536).setTensorShape(List.of(-1, 384)).setFeatureNames(null).build())
        .setFeatureStats(List.of(new FeatureStats("age", 40.0, 12.0, 18.0, 99.0, null)))
        .setLabels(List.of("a", "b")).setProperties(Map.of("intra_op_threads", "2")).setDeployedAt(T0).setDescription("canary")
        .build();
  }

  private static MetricsSnapshot snapshot() {
    return MetricsSnapshot.newBuilder()
        .setModel("minilm").setModelVersion("v2").setWindowStart(T0).setWindowEnd(T0.plusSeconds(60)).setFinal$(true)
        .setRequestCount(120L).setThroughputPerS(2.0).setStatusCounts(Map.of("OK", 118L, "ERROR", 2L)).setRejectionCounts(Map.of("RATE_LIMITED", 3L))
        .setCacheHits(10L).setLatency(new LatencySummary(5.0, 9.0, 12.0, 20.0, 6.0))
        .setMeanBatchSize(7.5).setMeanQueuedMs(1.2).setPaddingRatio(1.1).setTokensPerS(300.0)
        .setQuality(new QualityMetrics(50L, 0.9, 0.85, 0.8, 0.82, List.of(new ClassQuality("spam", 0.9, 0.8, 0.85, 20L))))
        .setLatencySketch(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .build();
  }
}
