package dev.sluice.topology.monitor;

/**
 * The parameters of the anomaly rules, applied to each final snapshot of the alert window
 * ({@code monitor.alert.window.ms}).
 *
 * <ul>
 *   <li>THROUGHPUT_SPIKE: throughput above {@code spikeFactor} × the trailing baseline (the mean
 *       throughput of the version's last {@code baselineWindows} final snapshots), once that
 *       many are known and the window has at least {@code minRequests} requests;
 *   <li>THROUGHPUT_DROP: throughput below the baseline / {@code dropFactor}, once the baseline is
 *       full and averages at least {@code minRequests} requests a window;
 *   <li>ERROR_RATE: the share of ERROR and EXPIRED results above {@code errorRateThreshold} in a
 *       window of at least {@code minRequests} results;
 *   <li>LATENCY_REGRESSION: a version's p99 above {@code latencyRegressionFactor} × the p99 of a
 *       sibling version of the same model in the same window, both with at least
 *       {@code minRequests} results.
 * </ul>
 *
 * @param baselineWindows final windows in the trailing throughput baseline
 * @param spikeFactor how many times the baseline counts as a spike
 * @param dropFactor by how many times below the baseline counts as a drop
 * @param minRequests the least traffic a rule judges
 * @param errorRateThreshold the largest share of failed results that raises nothing
 * @param latencyRegressionFactor how many times a sibling's p99 counts as a regression
 */
public record AlertRules(int baselineWindows, double spikeFactor, double dropFactor, long minRequests, double errorRateThreshold,
    double latencyRegressionFactor) {

  /** Checks the ranges. */
  public AlertRules {
    if (baselineWindows < 1 || spikeFactor <= 1.0 || dropFactor <= 1.0 || minRequests < 1 || errorRateThreshold < 0.0
        || errorRateThreshold > 1.0 || latencyRegressionFactor <= 1.0) {
      throw new IllegalArgumentException("Invalid alert rules " + this);
    }
  }
}
