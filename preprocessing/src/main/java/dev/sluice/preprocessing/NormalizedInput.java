package dev.sluice.preprocessing;

import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.Objects;

/**
 * A normalized model input, ready for the content key and for the worker.
 *
 * @param input a {@link TextInput}, {@link TensorInput} or {@link TabularInput}
 * @param truncated true when text normalization cut the text to the model's limit
 */
public record NormalizedInput(Object input, boolean truncated) {
  /** Checks the input is one of the three Avro input types. */
  public NormalizedInput {
    Objects.requireNonNull(input, "input");
    if (!(input instanceof TextInput || input instanceof TensorInput || input instanceof TabularInput)) {
      throw new IllegalArgumentException("input is a " + input.getClass().getName()
          + "; expected TextInput, TensorInput or TabularInput");
    }
  }
}
