package dev.sluice.worker.runtime;

import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.List;

/** The texts of a batch of {@link TextInput}s. */
final class TextInputs {
  private TextInputs() {}

  /** The texts, in order; fails for any input that is not a text. */
  static List<String> texts(List<Object> inputs, String task) throws ModelRunException {
    List<String> texts = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      Object input = inputs.get(i);
      if (!(input instanceof TextInput text) || text.getText() == null) {
        throw new ModelRunException("A " + task + " model takes TextInput, but input " + i + " is "
            + (input == null ? "null" : input.getClass().getSimpleName()), null);
      }
      texts.add(text.getText());
    }
    return texts;
  }
}
