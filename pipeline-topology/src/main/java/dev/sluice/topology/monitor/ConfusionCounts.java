package dev.sluice.topology.monitor;

import dev.sluice.avro.ClassQuality;
import dev.sluice.avro.QualityMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A confusion matrix of labelled predictions: counts by true label, then predicted label.
 * Mergeable by addition; turned into accuracy, per-class precision, recall and F1, and their
 * unweighted (macro) means over every label seen as true or predicted. A figure whose denominator
 * is zero is 0.
 */
final class ConfusionCounts {
  private final Map<String, Map<String, Long>> counts = new TreeMap<>();

  /** Counts one labelled prediction, {@code times} times. */
  ConfusionCounts add(String actual, String predicted, long times) {
    counts.computeIfAbsent(actual, a -> new TreeMap<>()).merge(predicted, times, Long::sum);
    return this;
  }

  ConfusionCounts merge(ConfusionCounts other) {
    other.counts.forEach((actual, row) -> row.forEach((predicted, n) -> add(actual, predicted, n)));
    return this;
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  /** The cells as (actual, predicted) → count, for serialization. */
  Map<String, Map<String, Long>> cells() {
    return counts;
  }

  /** The quality figures, or null when nothing was labelled. */
  QualityMetrics quality() {
    if (counts.isEmpty()) {
      return null;
    }
    TreeSet<String> labels = new TreeSet<>(counts.keySet());
    counts.values().forEach(row -> labels.addAll(row.keySet()));
    long total = 0;
    long correct = 0;
    Map<String, Long> predictedTotals = new TreeMap<>();
    for (Map.Entry<String, Map<String, Long>> row : counts.entrySet()) {
      for (Map.Entry<String, Long> cell : row.getValue().entrySet()) {
        total += cell.getValue();
        predictedTotals.merge(cell.getKey(), cell.getValue(), Long::sum);
        if (cell.getKey().equals(row.getKey())) {
          correct += cell.getValue();
        }
      }
    }
    List<ClassQuality> perClass = new ArrayList<>();
    double precisionSum = 0;
    double recallSum = 0;
    double f1Sum = 0;
    for (String label : labels) {
      Map<String, Long> row = counts.getOrDefault(label, Map.of());
      long truePositives = row.getOrDefault(label, 0L);
      long support = row.values().stream().mapToLong(Long::longValue).sum();
      double precision = ratio(truePositives, predictedTotals.getOrDefault(label, 0L));
      double recall = ratio(truePositives, support);
      double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
      perClass.add(new ClassQuality(label, precision, recall, f1, support));
      precisionSum += precision;
      recallSum += recall;
      f1Sum += f1;
    }
    int n = labels.size();
    return new QualityMetrics(total, ratio(correct, total), precisionSum / n, recallSum / n, f1Sum / n, perClass);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
