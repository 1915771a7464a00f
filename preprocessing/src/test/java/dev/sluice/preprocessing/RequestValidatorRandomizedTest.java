package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The validator and the normalizer behind it over generated requests (fixed seeds). */
class RequestValidatorRandomizedTest {
  private static final int CASES = 20_000;
  private static final float[] ODD_FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
      Float.MIN_VALUE, Float.MAX_VALUE};

  private final RequestValidator validator = new RequestValidator(Clock.fixed(NOW, ZoneOffset.UTC));
  private final InputNormalizer normalizer = new InputNormalizer();

  /** Independent statement of which texts are invalid. */
  private static boolean textIsInvalid(String text) {
    boolean malformed = !StandardCharsets.UTF_8.newEncoder().canEncode(text);
    boolean badCodePoint = text.codePoints().anyMatch(cp -> cp == 0
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || cp % 0x10000 == 0xFFFE || cp % 0x10000 == 0xFFFF);
    return malformed || badCodePoint;
  }

  @Test
  void randomTextIsRejectedAsInvalidExactlyWhenMalformedOrHoldingNulOrNoncharacters() {
    Random random = new Random(42);
    RandomText texts = new RandomText(random);
    for (int i = 0; i < CASES; i++) {
      String text = texts.next(40);
      Outcome<InferenceRequest> outcome = validator.validate(Fixtures.request(new TextInput(text)), 10, Fixtures.limits());
      if (textIsInvalid(text)) {
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_TEXT));
      } else {
        assertThat(outcome.isAccepted()).isTrue();
      }
    }
  }

  @Test
  void validatedTextAlwaysNormalizesOrIsRejectedAsEmpty() {
    Random random = new Random(7);
    RandomText texts = new RandomText(random);
    for (int i = 0; i < CASES; i++) {
      EffectiveLimits limits = Fixtures.textLimits(1 + random.nextInt(50), random.nextBoolean());
      InferenceRequest request = Fixtures.request(new TextInput(texts.next(40)));
      Outcome<NormalizedInput> outcome = validator.validate(request, 10, limits)
          .flatMap(valid -> normalizer.normalize(valid.getInput(), limits));
      if (outcome instanceof Outcome.Rejected<NormalizedInput> r && r.reason() == ReasonCode.INVALID_TEXT) {
        continue;
      }
      assertThat(outcome.isAccepted()).isTrue();
      String normalized = ((TextInput) ((Outcome.Accepted<NormalizedInput>) outcome).value().input()).getText();
      assertThat(normalized).isNotEmpty();
      assertThat(normalized.length()).isLessThanOrEqualTo(limits.maxTextChars());
    }
  }

  @Test
  void contentKeyIsStableUnderRenormalization() {
    Random random = new Random(99);
    RandomText texts = new RandomText(random);
    for (int i = 0; i < CASES / 4; i++) {
      EffectiveLimits limits = Fixtures.textLimits(1 + random.nextInt(50), random.nextBoolean());
      Outcome<NormalizedInput> once = normalizer.normalize(new TextInput(texts.next(40)), limits);
      if (once instanceof Outcome.Accepted<NormalizedInput> a) {
        Outcome<NormalizedInput> twice = normalizer.normalize(a.value().input(), limits);
        assertThat(twice.isAccepted()).isTrue();
        NormalizedInput again = ((Outcome.Accepted<NormalizedInput>) twice).value();
        assertThat(ContentKeys.contentKey("m", again.input())).isEqualTo(ContentKeys.contentKey("m", a.value().input()));
        assertThat(again.truncated()).isFalse();
      }
    }
  }

  @Test
  void randomTensorsAreAcceptedExactlyWhenFiniteAndWellShaped() {
    Random random = new Random(42);
    for (int i = 0; i < CASES; i++) {
      List<Integer> shape = new ArrayList<>();
      int rank = random.nextInt(4);
      for (int d = 0; d < rank; d++) {
        shape.add(random.nextInt(10) == 0 ? random.nextInt(3) - 1 : 1 + random.nextInt(4));
      }
      long product = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
      int count = random.nextInt(4) == 0 || product <= 0 ? random.nextInt(20) : (int) product;
      List<Float> values = new ArrayList<>();
      boolean finite = true;
      for (int v = 0; v < count; v++) {
        float value = random.nextInt(40) == 0 ? ODD_FLOATS[random.nextInt(ODD_FLOATS.length)] : random.nextFloat();
        finite &= Float.isFinite(value);
        values.add(value);
      }
      Optional<List<Integer>> expected = random.nextBoolean() ? Optional.empty() : Optional.of(expectedShape(random));
      EffectiveLimits limits = expected.map(Fixtures::tensorLimits).orElseGet(Fixtures::limits);

      Outcome<InferenceRequest> outcome = validator.validate(Fixtures.request(new TensorInput(shape, values)), 10, limits);

      boolean wellShaped = rank > 0 && shape.stream().allMatch(d -> d >= 1) && product == count
          && expected.map(e -> matches(shape, e)).orElse(true);
      ReasonCode want = !finite ? ReasonCode.NON_FINITE_NUMBER : wellShaped ? null : ReasonCode.SHAPE_MISMATCH;
      if (want == null) {
        assertThat(outcome.isAccepted()).as("%s %s %s", shape, values, expected).isTrue();
        assertThat(normalizer.normalize(new TensorInput(shape, values), limits))
            .isEqualTo(Outcome.accepted(new NormalizedInput(new TensorInput(shape, values), false)));
      } else {
        assertThat(outcome).as("%s %s %s", shape, values, expected).isInstanceOfSatisfying(Outcome.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(want));
      }
    }
  }

  private static List<Integer> expectedShape(Random random) {
    List<Integer> shape = new ArrayList<>();
    int rank = 1 + random.nextInt(3);
    for (int d = 0; d < rank; d++) {
      shape.add(random.nextBoolean() ? -1 : 1 + random.nextInt(4));
    }
    return shape;
  }

  private static boolean matches(List<Integer> shape, List<Integer> expected) {
    if (shape.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < shape.size(); i++) {
      if (expected.get(i) != -1 && !expected.get(i).equals(shape.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void validatorNeverThrowsOnRandomlyBrokenRequests() {
    Random random = new Random(42);
    RandomText texts = new RandomText(random);
    for (int i = 0; i < CASES; i++) {
      InferenceRequest request = new InferenceRequest(
          maybe(random, texts.next(3)), maybe(random, texts.next(3)), maybe(random, "v1"), maybe(random, "t"),
          maybe(random, texts.next(2)), random.nextBoolean() ? null : NOW.plusMillis(random.nextInt(2001) - 1000),
          null, randomInput(random, texts), null, new HashMap<>());
      InferenceRequest maybeNull = random.nextInt(50) == 0 ? null : request;
      int bytes = random.nextInt(2_000_000) - 10;
      assertThatCode(() -> validator.validate(maybeNull, bytes, Fixtures.limits())).doesNotThrowAnyException();
    }
  }

  private static <T> T maybe(Random random, T value) {
    return random.nextInt(8) == 0 ? null : value;
  }

  private static Object randomInput(Random random, RandomText texts) {
    switch (random.nextInt(5)) {
      case 0:
        return maybe(random, new TextInput(maybe(random, texts.next(20))));
      case 1:
        List<Integer> shape = new ArrayList<>();
        for (int d = random.nextInt(3); d > 0; d--) {
          shape.add(maybe(random, random.nextInt(5) - 1));
        }
        List<Float> values = new ArrayList<>();
        for (int v = random.nextInt(6); v > 0; v--) {
          values.add(maybe(random, random.nextBoolean() ? random.nextFloat() : ODD_FLOATS[random.nextInt(7)]));
        }
        return new TensorInput(maybe(random, shape), maybe(random, values));
      case 2:
        Map<String, Double> features = new HashMap<>();
        for (int f = random.nextInt(4); f > 0; f--) {
          features.put(maybe(random, texts.next(2)), maybe(random, random.nextBoolean() ? Double.NaN : random.nextDouble()));
        }
        return new TabularInput(maybe(random, features));
      case 3:
        return random.nextBoolean() ? Integer.valueOf(3) : "text";
      default:
        return null;
    }
  }
}
