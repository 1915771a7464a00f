package dev.sluice.dashboard;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.util.Optional;

/**
 * The latency of several versions' windows together: the monitor's DDSketches
 * ({@code MetricsSnapshot.latency_sketch}, sketches-java's encoding with its index mapping), merged.
 * Every monitor sketch uses the same mapping, so the merge is exact: a quantile of the merged
 * sketch is the quantile of all the requests, not an average of the versions' quantiles. A sketch
 * that does not decode is left out, and {@link #skipped()} says how many were.
 */
final class MergedLatency {
  /** The monitor's store bound; a sketch decoded into a smaller store would collapse its lowest bins. */
  private static final int MAX_BINS = 2048;

  private DDSketch merged;
  private int skipped;

  /** Adds one encoded sketch. */
  MergedLatency add(byte[] encoded) {
    try {
      DDSketch sketch = DDSketch.decode(ByteArrayInput.wrap(encoded), () -> new CollapsingLowestDenseStore(MAX_BINS));
      if (merged == null) {
        merged = sketch;
      } else {
        merged.mergeWith(sketch);
      }
    } catch (IOException | RuntimeException e) {
      skipped++;
    }
    return this;
  }

  /** The value at quantile {@code q} of everything added, empty when nothing was. */
  Optional<Double> quantile(double q) {
    return merged == null || merged.isEmpty() ? Optional.empty() : Optional.of(merged.getValueAtQuantile(q));
  }

  /** Sketches that did not decode. */
  int skipped() {
    return skipped;
  }
}
