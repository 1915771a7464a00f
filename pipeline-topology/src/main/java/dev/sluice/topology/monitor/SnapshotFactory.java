package dev.sluice.topology.monitor;

import dev.sluice.avro.MetricsSnapshot;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * Turns a window's {@link WindowAggregate} into the {@link MetricsSnapshot} of
 * {@code <prefix>.metrics}. Rates (throughput, tokens per second) divide by the time the window
 * covers: its full size in a final snapshot, the part that has passed in an early update (so a
 * steady flow reads the same rate all through the window). Means are 0 when nothing fed them;
 * padding ratio is padded over real tokens (0 when no tokens).
 */
final class SnapshotFactory {
  private SnapshotFactory() {}

  /** The final snapshot of a closed window. */
  static MetricsSnapshot snapshot(Windowed<String> window, WindowAggregate aggregate) {
    return snapshot(window, aggregate, true, window.window().end() - window.window().start());
  }

  /** A snapshot whose rates are over {@code elapsedMs} of the window. */
  static MetricsSnapshot snapshot(Windowed<String> window, WindowAggregate aggregate, boolean isFinal, long elapsedMs) {
    double seconds = elapsedMs / 1000.0;
    LatencySketch latency = aggregate.latency;
    return MetricsSnapshot.newBuilder()
        .setModel(MonitorKeys.model(window.key()))
        .setModelVersion(MonitorKeys.version(window.key()))
        .setWindowStart(Instant.ofEpochMilli(window.window().start()))
        .setWindowEnd(Instant.ofEpochMilli(window.window().end()))
        .setFinal$(isFinal)
        .setRequestCount(aggregate.results)
        .setThroughputPerS(aggregate.results / seconds)
        .setStatusCounts(Map.copyOf(aggregate.statusCounts))
        .setRejectionCounts(Map.copyOf(aggregate.rejectionCounts))
        .setCacheHits(aggregate.cacheHits)
        .setLatency(latency.isEmpty() ? null : latency.summary())
        .setLatencySketch(latency.isEmpty() ? null : ByteBuffer.wrap(latency.sketchBytes()))
        .setMeanBatchSize(ratio(aggregate.batchItems, aggregate.batches))
        .setMeanQueuedMs(aggregate.queuedCount == 0 ? 0.0 : aggregate.queuedSumMs / aggregate.queuedCount)
        .setPaddingRatio(ratio(aggregate.paddedTokens, aggregate.realTokens))
        .setTokensPerS(aggregate.realTokens / seconds)
        .setQuality(aggregate.confusion.quality())
        .build();
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
