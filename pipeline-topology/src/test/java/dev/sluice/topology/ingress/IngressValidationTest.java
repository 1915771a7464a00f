package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.T0;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.preprocessing.ContentKeys;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressValidationTest {
  @TempDir Path stateDir;
  IngressHarness ingress;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir);
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void rejectsBlankRequestIdWithMissingField() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("", "hello"));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.MISSING_FIELD);
    assertThat(rejection.getStage()).isEqualTo(Stage.VALIDATE);
    assertThat(rejection.getDetail()).contains("request_id");
    assertThat(rejection.getModel()).isEqualTo(MODEL);
    assertThat(rejection.getOriginalValue()).isNotNull();
  }

  @Test
  void rejectsBlankModelWithMissingFieldBeforeLookingItUp() {
    ingress.send("k", text("r-1", "hello").setModel(" "));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.MISSING_FIELD);
    assertThat(rejection.getStage()).isEqualTo(Stage.VALIDATE);
    assertThat(rejection.getDetail()).contains("model");
    assertThat(rejection.getRequestId()).isEqualTo("r-1");
  }

  @Test
  void rejectsUndeployedModelWithUnknownModel() {
    ingress.send("k", text("r-1", "hello").setModel("nope"));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
    assertThat(rejection.getStage()).isEqualTo(Stage.ROUTE);
    assertThat(rejection.getDetail()).contains("nope");
    assertThat(rejection.getSource().getOffset()).isZero();
  }

  @Test
  void rejectsUndeployedExplicitVersionWithUnknownModel() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", "hello").setModelVersion("v9"));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
    assertThat(rejection.getDetail()).contains("v9").contains("v1");
  }

  @Test
  void rejectsPayloadOverTheDeploymentsLimitWithPayloadTooLarge() {
    ingress.deployWithLimits(MODEL, "v1", ModelLimits.newBuilder().setMaxPayloadBytes(64).build());
    ingress.send("k", text("r-1", "x".repeat(100)));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE);
    assertThat(rejection.getStage()).isEqualTo(Stage.VALIDATE);
    assertThat(rejection.getDetail()).contains("limit is 64 bytes");
  }

  @Test
  void rejectsNulCharacterWithInvalidText() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", "bad\u0000text"));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.INVALID_TEXT);
    assertThat(rejection.getStage()).isEqualTo(Stage.VALIDATE);
  }

  @Test
  void rejectsTextEmptyAfterNormalizationWithInvalidTextAtNormalize() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", " \t\u200B\u0007 "));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.INVALID_TEXT);
    assertThat(rejection.getStage()).isEqualTo(Stage.NORMALIZE);
    assertThat(rejection.getDetail()).contains("empty after normalization");
  }

  @Test
  void rejectsNaNTensorValueWithNonFiniteNumber() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", "unused").setInput(new TensorInput(List.of(2), List.of(1.0f, Float.NaN))));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.NON_FINITE_NUMBER);
    assertThat(rejection.getDetail()).contains("input.values[1]");
  }

  @Test
  void rejectsTensorOfTheWrongShapeWithShapeMismatch() {
    ingress.deployWithLimits(MODEL, "v1", ModelLimits.newBuilder().setTensorShape(List.of(-1, 3)).build());
    ingress.send("k", text("r-1", "unused").setInput(new TensorInput(List.of(2, 2), List.of(1f, 2f, 3f, 4f))));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.SHAPE_MISMATCH);
    assertThat(rejection.getStage()).isEqualTo(Stage.VALIDATE);
  }

  @Test
  void rejectsPassedDeadlineWithExpired() {
    ingress.deploy(MODEL, "v1", 1.0);
    ingress.send("k", text("r-1", "hello").setDeadline(T0.minusMillis(1)));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.EXPIRED);
    assertThat(rejection.getStage()).isEqualTo(Stage.VALIDATE);
  }

  @Test
  void rejectsFeatureTheModelDoesNotKnowWithUnknownFeature() {
    ingress.deploy(IngressHarness.deployment(MODEL, "v1", 1.0)
        .setFeatureStats(List.of(new FeatureStats("age", 40.0, 10.0, 18.0, 90.0, null))).build());
    Map<String, Double> features = new HashMap<>();
    features.put("age", 50.0);
    features.put("shoe_size", 44.0);
    ingress.send("k", text("r-1", "unused").setInput(new TabularInput(features)));

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.UNKNOWN_FEATURE);
    assertThat(rejection.getStage()).isEqualTo(Stage.NORMALIZE);
    assertThat(rejection.getDetail()).contains("shoe_size");
  }

  @Test
  void rejectionCarriesRequestIdentityAndTraceparentHeader() {
    RecordHeaders headers = new RecordHeaders();
    String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    headers.add("traceparent", utf8(trace));
    InferenceRequest request = text("r-7", "hello").setModel("nope").setTenant("acme").build();
    ingress.sendRaw(utf8("key-7"), ingress.encode(request), headers);

    RejectedRequest rejection = onlyRejection();
    assertThat(rejection.getRequestId()).isEqualTo("r-7");
    assertThat(rejection.getModel()).isEqualTo("nope");
    assertThat(rejection.getTenant()).isEqualTo("acme");
    assertThat(rejection.getTraceparent()).isEqualTo(trace);
  }

  @Test
  void routesNormalizedTextWithContentKeyAndCarriedFields() {
    ingress.deployWithLimits(MODEL, "v1", ModelLimits.newBuilder().setMaxTextChars(11).build());
    InferenceRequest request = text("r-1", "  Hello\u0007 \t World\u200B and more  ")
        .setTenant("acme").setDeadline(T0.plus(Duration.ofMinutes(1))).setTraceparent("00-aa-bb-01")
        .setAttributes(Map.of("origin", "test")).build();
    ingress.sendRaw(utf8("key-1"), ingress.encode(request), new RecordHeaders());

    TestRecord<byte[], PreparedRequest> record = ingress.inference(MODEL).readRecord();
    PreparedRequest prepared = record.value();
    assertThat(record.key()).isEqualTo(utf8("key-1"));
    assertThat(record.headers().toArray()).as("the producer's headers, nothing added").isEmpty();
    assertThat(((TextInput) prepared.getInput()).getText()).isEqualTo("Hello World");
    assertThat(prepared.getTruncated()).isTrue();
    assertThat(prepared.getContentKey()).isEqualTo(ContentKeys.contentKey(MODEL, new TextInput("Hello World")));
    assertThat(prepared.getModelVersion()).isEqualTo("v1");
    assertThat(prepared.getShadow()).isFalse();
    assertThat(prepared.getTenant()).isEqualTo("acme");
    assertThat(prepared.getDeadline()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(prepared.getCreatedAt()).isEqualTo(T0);
    assertThat(prepared.getPreparedAt()).isEqualTo(T0);
    assertThat(prepared.getPreprocessMs()).isGreaterThanOrEqualTo(0.0);
    assertThat(prepared.getTraceparent()).isEqualTo("00-aa-bb-01");
    assertThat(prepared.getAttributes()).containsEntry("origin", "test");
    assertThat(prepared.getSource().getTopic()).isEqualTo("sluice.requests");
    assertThat(ingress.rejected.isEmpty()).isTrue();
  }

  @Test
  void routesTabularRowImputedAndStandardized() {
    ingress.deploy(IngressHarness.deployment(MODEL, "v1", 1.0)
        .setFeatureStats(List.of(new FeatureStats("age", 40.0, 10.0, 18.0, 90.0, null),
            new FeatureStats("income", 50.0, 25.0, 0.0, 500.0, null))).build());
    Map<String, Double> features = new HashMap<>();
    features.put("age", 60.0);
    features.put("income", null);
    ingress.send("k", text("r-1", "unused").setInput(new TabularInput(features)).setCreatedAt(null));

    PreparedRequest prepared = ingress.inference(MODEL).readValue();
    assertThat(((TabularInput) prepared.getInput()).getFeatures()).containsEntry("age", 2.0).containsEntry("income", 0.0);
    assertThat(prepared.getCreatedAt()).as("record timestamp when the producer sent none").isEqualTo(T0);
  }

  @Test
  void headersCannotForgeADedupKeyOrAnOutputKeyAndPassThroughUnchanged() {
    ingress.deploy(MODEL, "v1", 1.0);
    RecordHeaders forged = new RecordHeaders();
    forged.add("sluice.dedup.key", utf8("idem:someone-else"));
    forged.add("sluice.request.key", utf8("not-my-key"));
    ingress.sendRaw(utf8("k-1"), ingress.encode(text("r-1", "one").build()), forged);
    ingress.sendRaw(utf8("k-2"), ingress.encode(text("r-2", "two").build()), forged);

    List<TestRecord<byte[], PreparedRequest>> routed = ingress.inference(MODEL).readRecordsToList();
    assertThat(routed).extracting(r -> r.value().getRequestId()).containsExactly("r-1", "r-2");
    assertThat(routed).extracting(TestRecord::key).containsExactly(utf8("k-1"), utf8("k-2"));
    assertThat(routed.get(0).headers()).isEqualTo(forged);
    assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isZero();
  }

  private RejectedRequest onlyRejection() {
    List<RejectedRequest> rejections = ingress.rejected.readValuesToList();
    assertThat(rejections).hasSize(1);
    assertThat(ingress.inference(MODEL).isEmpty()).isTrue();
    return rejections.get(0);
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
