package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.QualityMetrics;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The compact JSON of one {@link MetricsSnapshot} that the page charts: times as epoch
 * milliseconds, the window's length, and no latency sketch (the history keeps it apart, for the
 * merged totals).
 */
final class SnapshotJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SnapshotJson() {}

  static ObjectNode of(MetricsSnapshot snapshot) {
    ObjectNode point = NODES.objectNode();
    long start = snapshot.getWindowStart().toEpochMilli();
    long end = snapshot.getWindowEnd().toEpochMilli();
    point.put("model", snapshot.getModel());
    point.put("version", snapshot.getModelVersion());
    point.put("windowStart", start);
    point.put("windowEnd", end);
    point.put("windowMs", end - start);
    point.put("final", snapshot.getFinal$());
    point.put("requests", snapshot.getRequestCount());
    point.put("throughput", snapshot.getThroughputPerS());
    point.set("status", counts(snapshot.getStatusCounts()));
    point.set("rejections", counts(snapshot.getRejectionCounts()));
    point.put("cacheHits", snapshot.getCacheHits());
    LatencySummary latency = snapshot.getLatency();
    if (latency == null) {
      point.putNull("latency");
    } else {
      point.putObject("latency").put("p50", latency.getP50Ms()).put("p95", latency.getP95Ms()).put("p99", latency.getP99Ms())
          .put("max", latency.getMaxMs()).put("mean", latency.getMeanMs());
    }
    point.put("batchSize", snapshot.getMeanBatchSize());
    point.put("queuedMs", snapshot.getMeanQueuedMs());
    point.put("paddingRatio", snapshot.getPaddingRatio());
    point.put("tokensPerS", snapshot.getTokensPerS());
    QualityMetrics quality = snapshot.getQuality();
    if (quality == null) {
      point.putNull("quality");
    } else {
      point.putObject("quality").put("labelled", quality.getLabelled()).put("accuracy", quality.getAccuracy())
          .put("macroF1", quality.getMacroF1());
    }
    return point;
  }

  /** The encoded latency sketch the snapshot carries, null when it has none. */
  static byte[] sketch(MetricsSnapshot snapshot) {
    ByteBuffer sketch = snapshot.getLatencySketch();
    if (sketch == null) {
      return null;
    }
    byte[] bytes = new byte[sketch.remaining()];
    sketch.duplicate().get(bytes);
    return bytes;
  }

  private static ObjectNode counts(Map<? extends CharSequence, Long> counts) {
    ObjectNode object = NODES.objectNode();
    counts.forEach((name, count) -> object.put(name.toString(), count));
    return object;
  }
}
