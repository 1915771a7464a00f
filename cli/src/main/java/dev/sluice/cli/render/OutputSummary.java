package dev.sluice.cli.render;

import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A model output in a few words: {@code embedding[384] 0.042 -0.013 0.101 ...},
 * {@code positive 0.912, negative 0.088}, {@code tensor[2x3] 0.100 0.200 0.300 ...}.
 */
public final class OutputSummary {
  /** Leading values shown of a vector or tensor. */
  static final int VALUES_SHOWN = 3;
  /** Best classes shown of class scores. */
  static final int CLASSES_SHOWN = 3;

  private OutputSummary() {}

  /** The output (null, an Embedding, ClassScores or a Tensor) summarized. */
  public static String of(Object output) {
    if (output == null) {
      return "no output";
    }
    if (output instanceof Embedding embedding) {
      return "embedding[" + embedding.getVector().size() + "]" + leading(embedding.getVector());
    }
    if (output instanceof ClassScores scores) {
      return classes(scores.getScores());
    }
    if (output instanceof Tensor tensor) {
      String shape = tensor.getShape().stream().map(String::valueOf).collect(Collectors.joining("x"));
      return "tensor[" + shape + "]" + leading(tensor.getValues());
    }
    return output.getClass().getSimpleName();
  }

  private static String leading(List<Float> values) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(VALUES_SHOWN, values.size()); i++) {
      text.append(' ').append(number(values.get(i)));
    }
    return values.size() > VALUES_SHOWN ? text.append(" ...").toString() : text.toString();
  }

  private static String classes(List<ClassScore> scores) {
    if (scores.isEmpty()) {
      return "no classes";
    }
    String best = scores.stream().limit(CLASSES_SHOWN)
        .map(score -> score.getLabel() + " " + number(score.getScore()))
        .collect(Collectors.joining(", "));
    return scores.size() > CLASSES_SHOWN ? best + ", ..." : best;
  }

  /** A score or vector element with three decimals. */
  static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
