package dev.sluice.cli.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestJsonTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private final RequestJson json = new RequestJson(Clock.fixed(NOW, ZoneOffset.UTC), () -> "generated-id");

  @Test
  void minimalTextLineGetsAGeneratedIdNowAndIsKeyedByTheId() {
    KeyedRequest keyed = json.parse("{\"model\": \"minilm\", \"text\": \"hello\"}");

    InferenceRequest request = keyed.request();
    assertThat(keyed.key()).isEqualTo("generated-id");
    assertThat(request.getRequestId()).isEqualTo("generated-id");
    assertThat(request.getModel()).isEqualTo("minilm");
    assertThat(request.getInput()).isEqualTo(new TextInput("hello"));
    assertThat(request.getCreatedAt()).isEqualTo(NOW);
    assertThat(request.getModelVersion()).isNull();
    assertThat(request.getTenant()).isNull();
    assertThat(request.getIdempotencyKey()).isNull();
    assertThat(request.getDeadline()).isNull();
    assertThat(request.getTraceparent()).isNull();
    assertThat(request.getAttributes()).isEmpty();
  }

  @Test
  void everyFieldIsCarriedAndTheIdempotencyKeyIsTheRecordKey() {
    KeyedRequest keyed = json.parse("""
        {"request_id": "r-1", "model": "minilm", "model_version": "v2", "tenant": "acme", "idempotency_key": "idem-1",
         "deadline": "2030-01-01T00:00:05Z", "created_at": 1893456000000, "text": "hi",
         "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "attributes": {"source": "test"}}""");

    InferenceRequest request = keyed.request();
    assertThat(keyed.key()).isEqualTo("idem-1");
    assertThat(request.getRequestId()).isEqualTo("r-1");
    assertThat(request.getModelVersion()).isEqualTo("v2");
    assertThat(request.getTenant()).isEqualTo("acme");
    assertThat(request.getIdempotencyKey()).isEqualTo("idem-1");
    assertThat(request.getDeadline()).isEqualTo(Instant.parse("2030-01-01T00:00:05Z"));
    assertThat(request.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(1893456000000L));
    assertThat(request.getTraceparent()).startsWith("00-0af7");
    assertThat(request.getAttributes()).containsExactly(Map.entry("source", "test"));
  }

  @Test
  void withoutIdempotencyKeyTheRecordKeyIsTheRequestId() {
    assertThat(json.parse("{\"request_id\": \"r-7\", \"model\": \"m\", \"text\": \"x\"}").key()).isEqualTo("r-7");
  }

  @Test
  void instantsTakeAnOffsetOrEpochMillis() {
    InferenceRequest request = json.parse("{\"model\": \"m\", \"text\": \"x\", \"deadline\": \"2030-01-01T02:00:00+02:00\", \"created_at\": 0}").request();

    assertThat(request.getDeadline()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(request.getCreatedAt()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void tensorInputKeepsShapeAndValues() {
    InferenceRequest request = json.parse("{\"model\": \"m\", \"tensor\": {\"shape\": [2, 2], \"values\": [1, 2.5, -3, 4]}}").request();

    assertThat(request.getInput()).isEqualTo(new TensorInput(List.of(2, 2), List.of(1f, 2.5f, -3f, 4f)));
  }

  @Test
  void tensorShapeDefaultsToTheNumberOfValues() {
    InferenceRequest request = json.parse("{\"model\": \"m\", \"tensor\": {\"values\": [1, 2, 3]}}").request();

    assertThat(((TensorInput) request.getInput()).getShape()).containsExactly(3);
  }

  @Test
  void featuresTakeNumbersAndNullsForMissingValues() {
    InferenceRequest request = json.parse("{\"model\": \"m\", \"features\": {\"age\": 42, \"income\": null}}").request();

    Map<String, Double> expected = new HashMap<>();
    expected.put("age", 42.0);
    expected.put("income", null);
    assertThat(((TabularInput) request.getInput()).getFeatures()).isEqualTo(expected);
  }

  @Test
  void nullFieldsAreTheSameAsAbsentOnes() {
    InferenceRequest request = json.parse("{\"model\": \"m\", \"text\": \"x\", \"tenant\": null, \"deadline\": null}").request();

    assertThat(request.getTenant()).isNull();
    assertThat(request.getDeadline()).isNull();
  }

  @Test
  void rejectsTextThatIsNotJson() {
    assertThatThrownBy(() -> json.parse("model: m"))
        .isInstanceOf(InvalidRequestJsonException.class).hasMessageStartingWith("not valid JSON at column 1: Unrecognized token 'model'");
  }

  @Test
  void rejectsJsonThatIsNotAnObject() {
    assertProblems("[1, 2]", "expected a JSON object, got an array");
  }

  @Test
  void rejectsTrailingTextAfterTheObject() {
    assertThatThrownBy(() -> json.parse("{\"model\": \"m\", \"text\": \"x\"} {}"))
        .isInstanceOf(InvalidRequestJsonException.class).hasMessageStartingWith("not valid JSON");
  }

  @Test
  void rejectsDuplicateFields() {
    assertThatThrownBy(() -> json.parse("{\"model\": \"m\", \"model\": \"n\", \"text\": \"x\"}"))
        .isInstanceOf(InvalidRequestJsonException.class).hasMessageContaining("Duplicate field 'model'");
  }

  @Test
  void rejectsAMissingModel() {
    assertProblems("{\"text\": \"x\"}", "field 'model' is required");
  }

  @Test
  void rejectsABlankModelAndRequestIdAndIdempotencyKey() {
    assertProblems("{\"model\": \" \", \"request_id\": \"\", \"idempotency_key\": \"\", \"text\": \"x\"}",
        "field 'request_id' must not be blank", "field 'model' must not be blank", "field 'idempotency_key' must not be blank");
  }

  @Test
  void rejectsAMissingInput() {
    assertProblems("{\"model\": \"m\"}", "an input is required: one of 'text', 'tensor' or 'features'");
  }

  @Test
  void rejectsTwoInputs() {
    assertProblems("{\"model\": \"m\", \"text\": \"x\", \"tensor\": {\"values\": [1]}}", "exactly one input is allowed, got text and tensor");
  }

  @Test
  void rejectsUnknownFieldsNamingTheKnownOnes() {
    assertThatThrownBy(() -> json.parse("{\"modle\": \"m\", \"model\": \"m\", \"text\": \"x\"}"))
        .isInstanceOf(InvalidRequestJsonException.class)
        .hasMessage("unknown field 'modle' (known: " + String.join(", ", RequestJson.FIELDS) + ")");
  }

  @Test
  void rejectsWrongTypesNamingFieldAndType() {
    assertProblems("{\"model\": 7, \"tenant\": true, \"text\": [\"x\"], \"attributes\": {\"n\": 1}}",
        "field 'model' must be a string, got a number", "field 'tenant' must be a string, got a boolean",
        "field 'text' must be a string, got an array", "field 'attributes' value 'n' must be a string, got a number");
  }

  @Test
  void rejectsAnInstantInAnotherShape() {
    assertProblems("{\"model\": \"m\", \"text\": \"x\", \"deadline\": \"tomorrow\"}",
        "field 'deadline' must be an ISO-8601 instant such as 2030-01-01T12:00:00Z or epoch milliseconds, got \"tomorrow\"");
  }

  @Test
  void rejectsABadTensorNamingTheElement() {
    assertProblems("{\"model\": \"m\", \"tensor\": {\"shape\": [2, 1.5], \"values\": [1, \"a\"], \"dtype\": \"f32\"}}",
        "unknown field 'tensor.dtype' (known: shape, values)", "field 'tensor.values' element 1 must be a number, got \"a\"",
        "field 'tensor.shape' element 1 must be an integer, got 1.5");
  }

  @Test
  void rejectsATensorWithoutValuesOrNotAnObject() {
    assertProblems("{\"model\": \"m\", \"tensor\": {\"shape\": [1]}}", "field 'tensor.values' is required");
    assertProblems("{\"model\": \"m\", \"tensor\": [1, 2]}",
        "field 'tensor' must be an object {\"shape\": [ints], \"values\": [numbers]}, got an array");
  }

  @Test
  void rejectsFeaturesThatAreNotNumbers() {
    assertProblems("{\"model\": \"m\", \"features\": {\"age\": \"old\"}}", "field 'features' value 'age' must be a number or null, got \"old\"");
  }

  private void assertProblems(String line, String... problems) {
    assertThatThrownBy(() -> json.parse(line))
        .isInstanceOfSatisfying(InvalidRequestJsonException.class, e -> assertThat(e.problems()).containsExactly(problems));
  }
}
