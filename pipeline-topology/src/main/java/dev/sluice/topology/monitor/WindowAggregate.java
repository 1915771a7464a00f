package dev.sluice.topology.monitor;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.RejectedRequest;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one model version did in one window, mergeable: every input record becomes a one-record
 * aggregate ({@link #ofResult}, {@link #ofMetricEvent}, {@link #ofRejection}, {@link #ofLabel})
 * and the window's aggregate is their {@link #merge}. Which record feeds which figure:
 *
 * <ul>
 *   <li>results: request count, status counts, cache hits, and latency (end-to-end ms) of
 *       non-cached results (a cache hit's latency is not the model's);
 *   <li>BATCH metric events: batch count and size, real and padded tokens;
 *   <li>REQUEST metric events: queue time;
 *   <li>rejections: counts by reason;
 *   <li>joined feedback: the confusion matrix.
 * </ul>
 *
 * <p>Mutable for cheap merging inside a reduce; not shared between threads.
 */
final class WindowAggregate {
  long results;
  final Map<String, Long> statusCounts = new TreeMap<>();
  final Map<String, Long> rejectionCounts = new TreeMap<>();
  long cacheHits;
  LatencySketch latency = LatencySketch.empty();
  long batches;
  long batchItems;
  long queuedCount;
  double queuedSumMs;
  long realTokens;
  long paddedTokens;
  ConfusionCounts confusion = new ConfusionCounts();

  /** One result's share. */
  static WindowAggregate ofResult(InferenceResult result) {
    WindowAggregate one = new WindowAggregate();
    one.results = 1;
    one.statusCounts.put(result.getStatus().name(), 1L);
    if (result.getCached()) {
      one.cacheHits = 1;
    } else {
      one.latency.add(result.getTimings().getEndToEndMs());
    }
    return one;
  }

  /** One metric event's share: a batch's size and tokens, or a request's queue time. */
  static WindowAggregate ofMetricEvent(MetricEvent event) {
    WindowAggregate one = new WindowAggregate();
    if (event.getKind() == MetricKind.BATCH) {
      one.batches = 1;
      one.batchItems = event.getBatchSize();
      one.realTokens = event.getRealTokens();
      one.paddedTokens = event.getPaddedTokens();
    } else if (!event.getCached()) {
      one.queuedCount = 1;
      one.queuedSumMs = event.getQueuedMs();
    }
    return one;
  }

  /** One rejection's share. */
  static WindowAggregate ofRejection(RejectedRequest rejection) {
    WindowAggregate one = new WindowAggregate();
    one.rejectionCounts.put(rejection.getReason().name(), 1L);
    return one;
  }

  /** One labelled prediction's share. */
  static WindowAggregate ofLabel(String actual, String predicted) {
    WindowAggregate one = new WindowAggregate();
    one.confusion.add(actual, predicted, 1);
    return one;
  }

  /** Adds the other aggregate into this one and returns this. */
  WindowAggregate merge(WindowAggregate other) {
    results += other.results;
    other.statusCounts.forEach((status, n) -> statusCounts.merge(status, n, Long::sum));
    other.rejectionCounts.forEach((reason, n) -> rejectionCounts.merge(reason, n, Long::sum));
    cacheHits += other.cacheHits;
    latency.merge(other.latency);
    batches += other.batches;
    batchItems += other.batchItems;
    queuedCount += other.queuedCount;
    queuedSumMs += other.queuedSumMs;
    realTokens += other.realTokens;
    paddedTokens += other.paddedTokens;
    confusion.merge(other.confusion);
    return this;
  }
}
