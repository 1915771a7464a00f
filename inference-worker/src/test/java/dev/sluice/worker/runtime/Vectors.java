package dev.sluice.worker.runtime;

import dev.sluice.avro.Embedding;
import java.util.List;

/** Vector arithmetic for the tests' assertions. */
final class Vectors {
  private Vectors() {}

  static float[] toArray(Embedding embedding) {
    List<Float> vector = embedding.getVector();
    float[] values = new float[vector.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = vector.get(i);
    }
    return values;
  }

  static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  static double cosine(float[] a, float[] b) {
    return dot(a, b) / (norm(a) * norm(b));
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
