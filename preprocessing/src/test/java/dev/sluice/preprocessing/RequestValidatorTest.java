package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.Fixtures.NOW;
import static dev.sluice.preprocessing.Fixtures.limits;
import static dev.sluice.preprocessing.Fixtures.request;
import static dev.sluice.preprocessing.Fixtures.row;
import static dev.sluice.preprocessing.Fixtures.tensor;
import static dev.sluice.preprocessing.Fixtures.tensorLimits;
import static dev.sluice.preprocessing.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private final RequestValidator validator = new RequestValidator(Clock.fixed(NOW, ZoneOffset.UTC));

  private Outcome<InferenceRequest> validate(InferenceRequest request) {
    return validator.validate(request, 100, limits());
  }

  private static Outcome<InferenceRequest> rejected(ReasonCode reason, String detail) {
    return Outcome.rejected(reason, detail);
  }

  @Test
  void acceptsWellFormedTextRequestAsItIs() {
    InferenceRequest request = request(text("  Hello\tworld\u0007 "));

    assertThat(validate(request)).isEqualTo(Outcome.accepted(request));
  }

  @Test
  void acceptsTabularRowWithMissingValue() {
    assertThat(validate(request(row("age", 3, "income", null))).isAccepted()).isTrue();
  }

  @Test
  void rejectsMissingRequestWithReasonMissingField() {
    assertThat(validate(null)).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "request is missing"));
  }

  @Test
  void rejectsBlankRequestIdWithReasonMissingField() {
    InferenceRequest request = request(text("hi"));
    request.setRequestId(" \t");

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "request_id is missing or blank"));
  }

  @Test
  void rejectsNullModelWithReasonMissingField() {
    InferenceRequest request = request(text("hi"));
    request.setModel(null);

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "model is missing or blank"));
  }

  @Test
  void rejectsNullInputWithReasonMissingField() {
    assertThat(validate(request(null))).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input is missing"));
  }

  @Test
  void rejectsTextInputWithoutTextWithReasonMissingField() {
    assertThat(validate(request(text(null)))).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input.text is missing"));
  }

  @Test
  void rejectsTensorWithNullElementWithReasonMissingField() {
    InferenceRequest request = request(tensor(List.of(3), Arrays.asList(1f, null, 3f)));

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input.values[1] is missing"));
  }

  @Test
  void rejectsTensorWithoutShapeWithReasonMissingField() {
    assertThat(validate(request(tensor(null, List.of(1f)))))
        .isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input.shape is missing"));
  }

  @Test
  void rejectsTabularWithoutFeatureMapOrWithUnnamedFeatureWithReasonMissingField() {
    Map<String, Double> unnamed = new HashMap<>();
    unnamed.put(null, 1.0);

    assertThat(validate(request(new TabularInput(null))))
        .isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input.features is missing"));
    assertThat(validate(request(new TabularInput(unnamed))))
        .isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input.features has a feature without a name"));
  }

  @Test
  void acceptsImmutableAndSortedFeatureMapsThatRefuseNullLookups() {
    assertThat(validate(request(new TabularInput(Map.of("a", 1.0)))).isAccepted()).isTrue();
    assertThat(validate(request(new TabularInput(new java.util.TreeMap<>(Map.of("a", 1.0))))).isAccepted()).isTrue();
  }

  @Test
  void rejectsInputOfForeignTypeWithReasonOther() {
    Outcome<InferenceRequest> outcome = validate(request("just a string"));

    assertThat(outcome).isEqualTo(rejected(ReasonCode.OTHER,
        "input is a java.lang.String; expected TextInput, TensorInput or TabularInput"));
  }

  @Test
  void rejectsOversizedPayloadWithReasonPayloadTooLargeNamingBothSizes() {
    Outcome<InferenceRequest> outcome = validator.validate(request(text("hi")), 1_048_577, limits());

    assertThat(outcome).isEqualTo(rejected(ReasonCode.PAYLOAD_TOO_LARGE,
        "request is 1048577 bytes serialized; the limit is 1048576 bytes"));
  }

  @Test
  void acceptsPayloadExactlyAtTheLimit() {
    assertThat(validator.validate(request(text("hi")), 1_048_576, limits()).isAccepted()).isTrue();
  }

  @Test
  void missingFieldWinsOverPayloadTooLarge() {
    Outcome<InferenceRequest> outcome = validator.validate(request(null), Integer.MAX_VALUE, limits());

    assertThat(outcome).isEqualTo(rejected(ReasonCode.MISSING_FIELD, "input is missing"));
  }

  @Test
  void rejectsDeadlineEqualToNowWithReasonExpired() {
    InferenceRequest request = request(text("hi"));
    request.setDeadline(NOW);

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.EXPIRED,
        "deadline 2026-01-01T12:00:00Z is not after now (2026-01-01T12:00:00Z)"));
  }

  @Test
  void acceptsDeadlineOneMillisecondAhead() {
    InferenceRequest request = request(text("hi"));
    request.setDeadline(NOW.plusMillis(1));

    assertThat(validate(request).isAccepted()).isTrue();
  }

  @Test
  void rejectsUnpairedHighSurrogateWithReasonInvalidTextAtItsIndex() {
    assertThat(validate(request(text("ab\uD83Dc")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text has an unpaired high surrogate U+D83D at index 2"));
  }

  @Test
  void rejectsHighSurrogateAtTheEndWithReasonInvalidText() {
    assertThat(validate(request(text("ab\uD83D")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text has an unpaired high surrogate U+D83D at index 2"));
  }

  @Test
  void rejectsUnpairedLowSurrogateWithReasonInvalidText() {
    assertThat(validate(request(text("\uDE00x")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text has an unpaired low surrogate U+DE00 at index 0"));
  }

  @Test
  void rejectsNulWithReasonInvalidText() {
    assertThat(validate(request(text("a\u0000b")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text contains U+0000 (NUL) at index 1"));
  }

  @Test
  void rejectsNoncharactersWithReasonInvalidText() {
    assertThat(validate(request(text("x\uFFFE")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text contains the noncharacter U+FFFE at index 1"));
    assertThat(validate(request(text("\uFFFF")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text contains the noncharacter U+FFFF at index 0"));
    assertThat(validate(request(text("ok \uD83F\uDFFF")))).isEqualTo(rejected(ReasonCode.INVALID_TEXT,
        "input.text contains the noncharacter U+1FFFF at index 3"));
  }

  @Test
  void acceptsOtherControlCharactersAndWellFormedEmoji() {
    assertThat(validate(request(text("bell\u0007 esc\u001B \uD83D\uDE00 \u200B"))).isAccepted()).isTrue();
  }

  @Test
  void rejectsNaNTensorValueWithReasonNonFiniteNumber() {
    InferenceRequest request = request(tensor(List.of(2), List.of(1f, Float.NaN)));

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.NON_FINITE_NUMBER, "input.values[1] is NaN"));
  }

  @Test
  void rejectsInfiniteFeatureWithReasonNonFiniteNumberNamingEveryBadFeature() {
    InferenceRequest request = request(row("z", Double.NEGATIVE_INFINITY, "ok", 1, "a", Double.NaN, "gap", null));

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.NON_FINITE_NUMBER,
        "input.features has non-finite values: \"a\" = NaN, \"z\" = -Infinity"));
  }

  @Test
  void nonFiniteNumberWinsOverShapeMismatch() {
    InferenceRequest request = request(tensor(List.of(5), List.of(Float.POSITIVE_INFINITY)));

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.NON_FINITE_NUMBER, "input.values[0] is Infinity"));
  }

  @Test
  void rejectsEmptyShapeWithReasonShapeMismatch() {
    assertThat(validate(request(tensor(List.of(), List.of())))).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape is empty; a tensor needs at least one dimension"));
  }

  @Test
  void rejectsNonPositiveDimensionWithReasonShapeMismatch() {
    assertThat(validate(request(tensor(List.of(2, 0), List.of())))).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape[1] is 0; dimensions must be >= 1"));
    assertThat(validate(request(tensor(List.of(-2), List.of(1f))))).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape[0] is -2; dimensions must be >= 1"));
  }

  @Test
  void rejectsValueCountDifferentFromShapeProductWithReasonShapeMismatch() {
    InferenceRequest request = request(tensor(List.of(2, 3), List.of(1f, 2f, 3f, 4f, 5f)));

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape [2, 3] holds 6 values but input.values has 5"));
  }

  @Test
  void rejectsShapeWhoseProductOverflowsAnIntWithoutThrowing() {
    InferenceRequest request = request(tensor(List.of(65536, 65536, 65536), List.of(1f)));

    assertThat(validate(request)).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape [65536, 65536, 65536] holds more than 2147483647 values but input.values has 1"));
  }

  @Test
  void rejectsShapeOfOtherRankThanTheModelsWithReasonShapeMismatch() {
    Outcome<InferenceRequest> outcome =
        validator.validate(request(tensor(List.of(4), List.of(1f, 2f, 3f, 4f))), 10, tensorLimits(List.of(-1, 4)));

    assertThat(outcome).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape [4] has rank 1 but the model expects rank 2 [-1, 4]"));
  }

  @Test
  void rejectsFixedDimensionDifferentFromTheModelsWithReasonShapeMismatch() {
    Outcome<InferenceRequest> outcome =
        validator.validate(request(tensor(List.of(1, 3), List.of(1f, 2f, 3f))), 10, tensorLimits(List.of(-1, 4)));

    assertThat(outcome).isEqualTo(rejected(ReasonCode.SHAPE_MISMATCH,
        "input.shape[1] is 3 but the model expects 4 (expected shape [-1, 4], -1 = any)"));
  }

  @Test
  void acceptsAnySizeInAFreeDimension() {
    EffectiveLimits limits = tensorLimits(List.of(-1, 2));

    assertThat(validator.validate(request(tensor(List.of(1, 2), List.of(1f, 2f))), 10, limits).isAccepted()).isTrue();
    assertThat(validator.validate(request(tensor(List.of(3, 2), List.of(1f, 2f, 3f, 4f, 5f, 6f))), 10, limits)
        .isAccepted()).isTrue();
  }

  @Test
  void validatesAgainstTheClockAtEachCall() {
    InferenceRequest request = request(text("hi"));
    request.setDeadline(NOW.plusSeconds(5));
    RequestValidator later = new RequestValidator(Clock.fixed(NOW.plusSeconds(6), ZoneOffset.UTC));

    assertThat(validator.validate(request, 10, limits()).isAccepted()).isTrue();
    assertThat(later.validate(request, 10, limits()))
        .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo(ReasonCode.EXPIRED));
  }

  @Test
  void rejectsCreatedAtFarInTheFutureWithReasonInvalidTimestamp() {
    InferenceRequest request = request(text("hi"));
    request.setCreatedAt(java.time.Instant.ofEpochMilli(8_640_000_000_000_000L));

    Outcome<InferenceRequest> outcome = validate(request);

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
      assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_TIMESTAMP);
      assertThat(r.detail()).startsWith("created_at +275760-09-13T00:00:00Z").contains("ingress.timestamp.horizon.ms");
    });
  }

  @Test
  void rejectsCreatedAtBefore2000AndDeadlineBeyondTheHorizonWithReasonInvalidTimestamp() {
    InferenceRequest old = request(text("hi"));
    old.setCreatedAt(java.time.Instant.ofEpochMilli(-8_640_000_000_000_000L));
    InferenceRequest far = request(text("hi"));
    far.setDeadline(NOW.plus(java.time.Duration.ofDays(8)));

    assertThat(validate(old)).isInstanceOfSatisfying(Outcome.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_TIMESTAMP));
    assertThat(validate(far)).isInstanceOfSatisfying(Outcome.Rejected.class,
        r -> assertThat(r.detail()).startsWith("deadline "));
  }

  @Test
  void acceptsTimestampsWithinTheConfiguredHorizon() {
    RequestValidator lenient = new RequestValidator(Clock.fixed(NOW, ZoneOffset.UTC), new TimestampRange(java.time.Duration.ofDays(30)));
    InferenceRequest request = request(text("hi"));
    request.setCreatedAt(java.time.Instant.parse("2000-01-01T00:00:00Z"));
    request.setDeadline(NOW.plus(java.time.Duration.ofDays(29)));

    assertThat(lenient.validate(request, 100, limits())).isEqualTo(Outcome.accepted(request));
  }
}
