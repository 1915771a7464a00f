package dev.sluice.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class IngressDefaultsTest {

  @Test
  void defaultsAreDocumentedValues() {
    assertThat(IngressDefaults.defaults())
        .isEqualTo(new IngressDefaults(8192, 1_048_576, false, Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT));
  }

  @Test
  void reportsNonPositiveTextLimitInKafkasWords() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new IngressDefaults(0, 100, false, Scaling.STANDARDIZE, UnknownFeaturePolicy.REJECT))
        .withMessage("Invalid value 0 for configuration ingress.max.text.chars: must be >= 1");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new IngressDefaults(-1, 0, true, null, null))
        .withMessageContaining("Invalid value -1 for configuration ingress.max.text.chars: must be >= 1\n")
        .withMessageContaining("Invalid value 0 for configuration ingress.max.payload.bytes: must be >= 1\n")
        .withMessageContaining("Invalid value null for configuration ingress.tabular.scaling")
        .withMessageContaining("Invalid value null for configuration ingress.tabular.unknown.features");
  }

  @Test
  void acceptsTheSmallestLimits() {
    IngressDefaults tiny = new IngressDefaults(1, 1, true, Scaling.MIN_MAX, UnknownFeaturePolicy.DROP);

    assertThat(tiny.maxTextChars()).isEqualTo(1);
    assertThat(tiny.maxPayloadBytes()).isEqualTo(1);
  }
}
