package dev.sluice.preprocessing;

import static dev.sluice.preprocessing.Fixtures.row;
import static dev.sluice.preprocessing.Fixtures.stats;
import static dev.sluice.preprocessing.Fixtures.tabularLimits;
import static dev.sluice.preprocessing.Fixtures.textLimits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InputNormalizerTest {
  private final InputNormalizer normalizer = new InputNormalizer();

  @Test
  void normalizesTextWithTheModelsLimitAndCase() {
    Outcome<NormalizedInput> outcome = normalizer.normalize(new TextInput("  Hello\u00A0 WORLD  "), textLimits(6, true));

    assertThat(outcome).isEqualTo(Outcome.accepted(new NormalizedInput(new TextInput("hello"), true)));
  }

  @Test
  void rejectsTextThatIsEmptyAfterNormalizationAsInvalidText() {
    Outcome<NormalizedInput> outcome = normalizer.normalize(new TextInput(" \u200B\t\u0007 "), textLimits(8, false));

    assertThat(outcome).isEqualTo(Outcome.rejected(ReasonCode.INVALID_TEXT, "text is empty after normalization"));
  }

  @Test
  void rejectsTextOfOnlyInvisibleCodePointsAsInvalidText() {
    for (String invisible : List.of("\u200C\u200D", "\u200D", "\u3164\u3164", "\uFE0F\u034F", "\u115F\u1160", "\u200B\u00AD\uFEFF\u200C",
        new String(Character.toChars(0xE0041)) + "\u200D")) {
      Outcome<NormalizedInput> outcome = normalizer.normalize(new TextInput(invisible), textLimits(64, false));

      assertThat(outcome).as("text %s", invisible.codePoints().mapToObj(Integer::toHexString).toList())
          .isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_TEXT));
    }
  }

  @Test
  void keepsTextWithOneVisibleCharacterAmongJoiners() {
    Outcome<NormalizedInput> outcome = normalizer.normalize(new TextInput("\u200D\u0915\u200C"), textLimits(64, false));

    assertThat(outcome).isEqualTo(Outcome.accepted(new NormalizedInput(new TextInput("\u200D\u0915\u200C"), false)));
  }

  @Test
  void normalizesTabularRowsWithTheModelsStatistics() {
    EffectiveLimits limits = tabularLimits(Optional.empty(), List.of(stats("x", 10, 2, 0, 20, null)),
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    Outcome<NormalizedInput> outcome = normalizer.normalize(row("x", 14), limits);

    assertThat(outcome).isEqualTo(Outcome.accepted(new NormalizedInput(new TabularInput(Map.of("x", 2.0)), false)));
  }

  @Test
  void passesTabularRejectionsThrough() {
    EffectiveLimits limits = tabularLimits(Optional.empty(), List.of(stats("x", 10, 2, 0, 20, null)),
        Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT);

    assertThat(normalizer.normalize(row("y", 1), limits)).isInstanceOfSatisfying(Outcome.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(ReasonCode.UNKNOWN_FEATURE));
  }

  @Test
  void passesTensorsThroughUnchanged() {
    TensorInput tensor = new TensorInput(List.of(1, 2), List.of(0.5f, -0f));

    Outcome<NormalizedInput> outcome = normalizer.normalize(tensor, Fixtures.limits());

    assertThat(outcome).isEqualTo(Outcome.accepted(new NormalizedInput(tensor, false)));
    assertThat(((Outcome.Accepted<NormalizedInput>) outcome).value().input()).isSameAs(tensor);
  }

  @Test
  void rejectsMissingOrForeignInputWithoutThrowing() {
    assertThat(normalizer.normalize(null, Fixtures.limits()))
        .isEqualTo(Outcome.rejected(ReasonCode.MISSING_FIELD, "input is missing"));
    assertThat(normalizer.normalize(new TextInput(null), Fixtures.limits()))
        .isEqualTo(Outcome.rejected(ReasonCode.MISSING_FIELD, "input.text is missing"));
    assertThat(normalizer.normalize(42, Fixtures.limits())).isInstanceOfSatisfying(Outcome.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(ReasonCode.OTHER));
  }

  @Test
  void normalizedInputAcceptsOnlyTheThreeInputTypes() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new NormalizedInput("text", false));
  }
}
