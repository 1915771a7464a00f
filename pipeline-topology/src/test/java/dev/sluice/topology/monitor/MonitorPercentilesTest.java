package dev.sluice.topology.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorPercentilesTest {
  private static final double ONE_PERCENT = 0.01;
  @TempDir Path stateDir;

  /** The exact quantile in the sketch's rank convention: the value of rank floor(q × (n − 1)). */
  private static double exact(double[] sorted, double q) {
    return sorted[(int) Math.floor(q * (sorted.length - 1))];
  }

  @Test
  void latencyPercentilesAreWithinOnePercentOfTheExactOnesOnASkewedStream() throws Exception {
    Random random = new Random(42);
    double[] latencies = new double[5_000];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = Math.exp(3.0 + 0.8 * random.nextGaussian()) + (i % 97 == 0 ? 2_000 : 0);
    }
    MetricsSnapshot snapshot;
    try (MonitorHarness monitor = new MonitorHarness(stateDir,
        Map.of("monitor.window.sizes.ms", "10000", "monitor.early.update.interval.ms", "0"))) {
      for (int i = 0; i < latencies.length; i++) {
        monitor.send(MonitorHarness.result("v1", i % 10_000, latencies[i]));
      }
      monitor.tick(20_000);
      snapshot = monitor.snapshots().get(0);
    }
    double[] sorted = latencies.clone();
    Arrays.sort(sorted);
    LatencySummary latency = snapshot.getLatency();

    assertThat(latency.getP50Ms()).isCloseTo(exact(sorted, 0.50), within(exact(sorted, 0.50) * ONE_PERCENT));
    assertThat(latency.getP95Ms()).isCloseTo(exact(sorted, 0.95), within(exact(sorted, 0.95) * ONE_PERCENT));
    assertThat(latency.getP99Ms()).isCloseTo(exact(sorted, 0.99), within(exact(sorted, 0.99) * ONE_PERCENT));
    assertThat(latency.getMaxMs()).as("exact").isEqualTo(sorted[sorted.length - 1]);
    assertThat(latency.getMeanMs()).isCloseTo(Arrays.stream(latencies).average().orElseThrow(), within(1e-6));

    ByteBuffer bytes = snapshot.getLatencySketch();
    byte[] encoded = new byte[bytes.remaining()];
    bytes.get(encoded);
    DDSketch carried = DDSketch.decode(ByteArrayInput.wrap(encoded), UnboundedSizeDenseStore::new);
    assertThat(carried.getCount()).as("the carried sketch holds every latency").isEqualTo(latencies.length);
    assertThat(carried.getValueAtQuantile(0.99)).isEqualTo(latency.getP99Ms());
  }

  @Test
  void mergedSketchesOfTwoHalvesGiveTheQuantilesOfTheWhole() {
    WindowAggregateSerde serde = new WindowAggregateSerde();
    Random random = new Random(7);
    LatencySketch left = LatencySketch.empty();
    LatencySketch right = LatencySketch.empty();
    double[] all = new double[2_000];
    for (int i = 0; i < all.length; i++) {
      all[i] = 1 + random.nextDouble() * (i < 1_000 ? 10 : 500);
      (i < 1_000 ? left : right).add(all[i]);
    }
    LatencySketch merged = serde.decode(serde.encode(withLatency(left))).latency
        .merge(right);
    Arrays.sort(all);

    assertThat(merged.count()).isEqualTo(all.length);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      assertThat(merged.quantile(q)).as("q=%s", q).isCloseTo(exact(all, q), within(exact(all, q) * ONE_PERCENT));
    }
  }

  private static WindowAggregate withLatency(LatencySketch sketch) {
    WindowAggregate aggregate = new WindowAggregate();
    aggregate.latency = sketch;
    return aggregate;
  }
}
