package dev.sluice.topology.monitor;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import dev.sluice.avro.LatencySummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * A mergeable latency distribution: a DDSketch with 0.5% relative accuracy (every quantile is
 * within 0.5% of a value of the right rank, so within the 1% the issue asks for) on a dense store
 * of at most {@value #MAX_BINS} bins (0.5% buckets span 0.01 ms to hours without collapsing), plus
 * the exact sum and maximum. Every instance uses the same mapping, so sketches of different
 * windows, partitions and instances merge exactly.
 */
final class LatencySketch {
  static final double RELATIVE_ACCURACY = 0.005;
  static final int MAX_BINS = 2048;
  private static final Supplier<Store> STORE = () -> new CollapsingLowestDenseStore(MAX_BINS);
  private static final IndexMapping MAPPING = DDSketches.collapsingLowestDense(RELATIVE_ACCURACY, MAX_BINS).getIndexMapping();

  private final DDSketch sketch;
  private double sum;
  private double max;

  private LatencySketch(DDSketch sketch, double sum, double max) {
    this.sketch = sketch;
    this.sum = sum;
    this.max = max;
  }

  /** An empty sketch. */
  static LatencySketch empty() {
    return new LatencySketch(new DDSketch(MAPPING, STORE), 0.0, 0.0);
  }

  /** Adds one latency in milliseconds (negative values count as 0). */
  LatencySketch add(double millis) {
    double value = Math.max(0.0, millis);
    sketch.accept(value);
    sum += value;
    max = Math.max(max, value);
    return this;
  }

  /** Adds every value of the other sketch into this one. */
  LatencySketch merge(LatencySketch other) {
    sketch.mergeWith(other.sketch);
    sum += other.sum;
    max = Math.max(max, other.max);
    return this;
  }

  long count() {
    return (long) sketch.getCount();
  }

  boolean isEmpty() {
    return sketch.isEmpty();
  }

  /** The value at a quantile in [0, 1]. */
  double quantile(double q) {
    return sketch.getValueAtQuantile(q);
  }

  /** p50, p95, p99 from the sketch; max and mean exact. */
  LatencySummary summary() {
    return new LatencySummary(quantile(0.50), quantile(0.95), quantile(0.99), max, sum / count());
  }

  /**
   * sketches-java's own encoding of the sketch, index mapping included, as carried in
   * {@code MetricsSnapshot.latency_sketch}: {@code DDSketch.decode(ByteArrayInput.wrap(bytes), store)}
   * reads it back, mergeable with any other sketch of this monitor.
   */
  byte[] sketchBytes() {
    GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      sketch.encode(output, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a latency sketch", e);
    }
    return output.trimmedCopy();
  }

  double sum() {
    return sum;
  }

  double max() {
    return max;
  }

  /** Rebuilds a sketch from {@link #sketchBytes()} and the exact figures. */
  static LatencySketch decode(byte[] sketchBytes, double sum, double max) {
    try {
      return new LatencySketch(DDSketch.decode(ByteArrayInput.wrap(sketchBytes), STORE), sum, max);
    } catch (IOException e) {
      throw new UncheckedIOException("Malformed latency sketch", e);
    }
  }
}
