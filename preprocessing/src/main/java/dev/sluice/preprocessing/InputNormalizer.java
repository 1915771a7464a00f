package dev.sluice.preprocessing;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.Objects;

/**
 * Normalizes a validated model input by its type: text with the {@link TextNormalizer}
 * (rejected with INVALID_TEXT when nothing visible is left of it), tabular rows with the
 * {@link TabularNormalizer}, tensors passed through unchanged (the validator has already checked
 * their shape and elements).
 */
public final class InputNormalizer {
  private final TextNormalizer text;
  private final TabularNormalizer tabular;

  /** Creates a normalizer with the standard text and tabular normalizers. */
  public InputNormalizer() {
    this(new TextNormalizer(), new TabularNormalizer());
  }

  /**
   * Creates a normalizer from its parts.
   *
   * @param text normalizes text inputs
   * @param tabular normalizes tabular inputs
   */
  public InputNormalizer(TextNormalizer text, TabularNormalizer tabular) {
    this.text = Objects.requireNonNull(text, "text");
    this.tabular = Objects.requireNonNull(tabular, "tabular");
  }

  /**
   * Normalizes one input.
   *
   * @param input the request's input: a {@link TextInput}, {@link TensorInput} or
   *     {@link TabularInput}
   * @param limits the limits of the model version the request goes to
   * @return the normalized input, or why it cannot be normalized
   */
  public Outcome<NormalizedInput> normalize(Object input, EffectiveLimits limits) {
    Objects.requireNonNull(limits, "limits");
    if (input instanceof TextInput textInput) {
      if (textInput.getText() == null) {
        return Outcome.rejected(ReasonCode.MISSING_FIELD, "input.text is missing");
      }
      TextNormalizer.NormalizedText normalized =
          text.normalize(textInput.getText(), limits.maxTextChars(), limits.lowercase());
      if (normalized.text().isEmpty()) {
        return Outcome.rejected(ReasonCode.INVALID_TEXT, "text is empty after normalization");
      }
      if (!TextValidity.hasVisible(normalized.text())) {
        return Outcome.rejected(ReasonCode.INVALID_TEXT, "text has no visible character after normalization (only joiners, "
            + "fillers, variation selectors or other invisible code points are left)");
      }
      return Outcome.accepted(new NormalizedInput(new TextInput(normalized.text()), normalized.truncated()));
    }
    if (input instanceof TabularInput row) {
      return tabular.normalize(row, limits).map(normalized -> new NormalizedInput(normalized, false));
    }
    if (input instanceof TensorInput tensor) {
      return Outcome.accepted(new NormalizedInput(tensor, false));
    }
    if (input == null) {
      return Outcome.rejected(ReasonCode.MISSING_FIELD, "input is missing");
    }
    return Outcome.rejected(ReasonCode.OTHER, "input is a " + input.getClass().getName()
        + "; expected TextInput, TensorInput or TabularInput");
  }
}
