package dev.sluice.topology.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the alert rules remember of one model version: the throughput and request count of its
 * last final windows (oldest first, at most the baseline length) and the p99 and result count of
 * its latest window.
 *
 * @param throughputs throughput per second of the trailing windows
 * @param requests request counts of the same windows
 * @param lastWindowStart start of the latest window judged, epoch ms
 * @param lastP99 p99 of that window, NaN when it had no latency
 * @param lastCount results in that window
 */
record VersionHistory(List<Double> throughputs, List<Long> requests, long lastWindowStart, double lastP99, long lastCount) {

  VersionHistory {
    throughputs = List.copyOf(throughputs);
    requests = List.copyOf(requests);
  }

  static VersionHistory empty() {
    return new VersionHistory(List.of(), List.of(), Long.MIN_VALUE, Double.NaN, 0);
  }

  /** Whether the baseline holds {@code windows} windows. */
  boolean baselineFull(int windows) {
    return throughputs.size() >= windows;
  }

  double baselineThroughput() {
    return throughputs.stream().mapToDouble(Double::doubleValue).average().orElse(0.0);
  }

  double baselineRequests() {
    return requests.stream().mapToLong(Long::longValue).average().orElse(0.0);
  }

  /** This history after one more window, the baseline cut to its last {@code windows}. */
  VersionHistory next(int windows, double throughput, long requestCount, long windowStart, double p99, long count) {
    List<Double> nextThroughputs = new ArrayList<>(throughputs);
    List<Long> nextRequests = new ArrayList<>(requests);
    nextThroughputs.add(throughput);
    nextRequests.add(requestCount);
    while (nextThroughputs.size() > windows) {
      nextThroughputs.remove(0);
      nextRequests.remove(0);
    }
    return new VersionHistory(nextThroughputs, nextRequests, windowStart, p99, count);
  }
}
