package dev.sluice.systemtests.e2e;

import java.util.List;

/** The cosine similarity of two vectors, for comparing the embeddings different paths give the same text. */
final class Cosine {
  private Cosine() {}

  static double of(List<Float> a, List<Float> b) {
    if (a.size() != b.size()) {
      throw new AssertionError("vectors of " + a.size() + " and " + b.size() + " dimensions");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.size(); i++) {
      dot += a.get(i) * b.get(i);
      na += a.get(i) * a.get(i);
      nb += b.get(i) * b.get(i);
    }
    return dot / Math.sqrt(na * nb);
  }
}
