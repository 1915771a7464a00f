package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.ContentKeys.contentKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentKeysTest {

  private static TextInput text(String s) {
    return new TextInput(s);
  }

  private static TensorInput tensor(List<Integer> shape, List<Float> values) {
    return new TensorInput(shape, values);
  }

  private static TabularInput tabular(Map<String, Double> features) {
    return new TabularInput(features);
  }

  @Test
  void isLowercaseHexSha256() {
    assertThat(contentKey("m", text("hello"))).matches("[0-9a-f]{64}");
  }

  @Test
  void isStableAcrossCallsAndEqualInstances() {
    assertThat(contentKey("minilm", text("hello world"))).isEqualTo(contentKey("minilm", text("hello world")));
    assertThat(contentKey("m", tensor(List.of(2), List.of(1f, 2f))))
        .isEqualTo(contentKey("m", tensor(new ArrayList<>(List.of(2)), new ArrayList<>(List.of(1f, 2f)))));
  }

  /** Expected digests computed outside Java from the documented encoding. */
  @Test
  void matchesTheDocumentedEncodingSoKeysCannotDriftSilently() {
    Map<String, Double> row = new LinkedHashMap<>();
    row.put("b", null);
    row.put("a", 0.5);

    assertThat(contentKey("minilm", text("hello")))
        .isEqualTo(contentKey("minilm", new NormalizedInput(text("hello"), true)))
        .isEqualTo("3df18a176e3f8a3089482a2f2824654b615092f43cb9cc888d983cbba874d843");
    assertThat(contentKey("m", tensor(List.of(1, 2), List.of(1f, -0f))))
        .isEqualTo("f685f7b67772a11eb2590c70e37aa83b8581fd833ba66220d54149558b844843");
    assertThat(contentKey("m", tabular(row)))
        .isEqualTo("54d34f42067e23b7a61317fccbb9af87e479d85b8e13c087592cd27d2cd5012b");
  }

  @Test
  void differsByModel() {
    assertThat(contentKey("a", text("x"))).isNotEqualTo(contentKey("b", text("x")));
  }

  @Test
  void differsByInputBranchForTheSameEmptyContent() {
    Set<String> keys = Set.of(
        contentKey("m", text("")),
        contentKey("m", tensor(List.of(), List.of())),
        contentKey("m", tabular(Map.of())));

    assertThat(keys).hasSize(3);
  }

  @Test
  void differsByEachTextCharacter() {
    assertThat(contentKey("m", text("abc"))).isNotEqualTo(contentKey("m", text("abd")))
        .isNotEqualTo(contentKey("m", text("ab")));
  }

  @Test
  void modelAndTextCannotCollideByMovingTheBoundary() {
    assertThat(contentKey("ab", text("c"))).isNotEqualTo(contentKey("a", text("bc")));
    assertThat(contentKey("", text("abc"))).isNotEqualTo(contentKey("abc", text("")));
  }

  @Test
  void differsByEachTensorElementDimensionAndShape() {
    String base = contentKey("m", tensor(List.of(2, 2), List.of(1f, 2f, 3f, 4f)));

    assertThat(base)
        .isNotEqualTo(contentKey("m", tensor(List.of(2, 2), List.of(1f, 2f, 3f, 5f))))
        .isNotEqualTo(contentKey("m", tensor(List.of(2, 2), List.of(1f, 3f, 2f, 4f))))
        .isNotEqualTo(contentKey("m", tensor(List.of(4, 1), List.of(1f, 2f, 3f, 4f))))
        .isNotEqualTo(contentKey("m", tensor(List.of(4), List.of(1f, 2f, 3f, 4f))))
        .isNotEqualTo(contentKey("m", tensor(List.of(1, 4), List.of(1f, 2f, 3f, 4f))));
  }

  @Test
  void tensorShapeAndValuesCannotCollideByMovingTheBoundary() {
    float asFloat = Float.intBitsToFloat(1);

    assertThat(contentKey("m", tensor(List.of(1, 1), List.of(asFloat))))
        .isNotEqualTo(contentKey("m", tensor(List.of(1), List.of(asFloat, asFloat))));
  }

  @Test
  void distinguishesNegativeZeroAndFoldsAllNaNs() {
    assertThat(contentKey("m", tensor(List.of(1), List.of(0f))))
        .isNotEqualTo(contentKey("m", tensor(List.of(1), List.of(-0f))));
    assertThat(contentKey("m", tensor(List.of(1), List.of(Float.intBitsToFloat(0x7fc00001)))))
        .isEqualTo(contentKey("m", tensor(List.of(1), List.of(Float.NaN))));
  }

  @Test
  void differsByEachFeatureNameAndValue() {
    String base = contentKey("m", tabular(Map.of("a", 1.0, "b", 2.0)));

    assertThat(base)
        .isNotEqualTo(contentKey("m", tabular(Map.of("a", 1.0, "b", 2.5))))
        .isNotEqualTo(contentKey("m", tabular(Map.of("a", 1.0, "c", 2.0))))
        .isNotEqualTo(contentKey("m", tabular(Map.of("a", 2.0, "b", 1.0))))
        .isNotEqualTo(contentKey("m", tabular(Map.of("a", 1.0))));
  }

  @Test
  void featureNamesCannotCollideByMovingTheBoundary() {
    assertThat(contentKey("m", tabular(Map.of("ab", 1.0, "c", 2.0))))
        .isNotEqualTo(contentKey("m", tabular(Map.of("a", 1.0, "bc", 2.0))));
  }

  @Test
  void missingValueDiffersFromEveryNumber() {
    Map<String, Double> missing = new HashMap<>();
    missing.put("a", null);

    assertThat(contentKey("m", tabular(missing)))
        .isNotEqualTo(contentKey("m", tabular(Map.of("a", 0.0))))
        .isNotEqualTo(contentKey("m", tabular(Map.of())));
  }

  @Test
  void doesNotDependOnTheMapsIterationOrder() {
    Map<String, Double> forward = new LinkedHashMap<>();
    forward.put("x", 1.0);
    forward.put("y", 2.0);
    Map<String, Double> backward = new LinkedHashMap<>();
    backward.put("y", 2.0);
    backward.put("x", 1.0);

    assertThat(contentKey("m", tabular(forward))).isEqualTo(contentKey("m", tabular(backward)));
  }

  @Test
  void refusesTextWithUnpairedSurrogateAndForeignInputs() {
    assertThatIllegalArgumentException().isThrownBy(() -> contentKey("m", text("a\uD800")));
    assertThatIllegalArgumentException().isThrownBy(() -> contentKey("m", "plain string"));
  }

  @Test
  void randomDistinctInputsGetDistinctKeys() {
    Random random = new Random(42);
    Map<String, String> byKey = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int c = random.nextInt(6); c > 0; c--) {
        s.append("ab\u00E9 \uD83D\uDE00".charAt(random.nextInt(4)));
      }
      String model = random.nextBoolean() ? "m" : "m" + s.length() % 2;
      String identity = model + "\u0000" + s;
      if (!seen.add(identity)) {
        continue;
      }
      String key = contentKey(model, text(s.toString()));
      assertThat(byKey.putIfAbsent(key, identity)).as("collision for %s", identity).isNull();
    }
  }

  @Test
  void dedupKeyPrefersANonBlankIdempotencyKey() {
    InferenceRequest request = Fixtures.request(text("x"));
    request.setIdempotencyKey("retry-7");

    assertThat(ContentKeys.dedupKey(request, "abc")).isEqualTo("idem:retry-7");
  }

  @Test
  void dedupKeyFallsBackToTheContentKey() {
    InferenceRequest request = Fixtures.request(text("x"));

    assertThat(ContentKeys.dedupKey(request, "abc")).isEqualTo("content:abc");
    request.setIdempotencyKey(" \t");
    assertThat(ContentKeys.dedupKey(request, "abc")).isEqualTo("content:abc");
  }
}
