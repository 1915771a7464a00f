package dev.sluice.loadgen;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds, from a histogram of microseconds.
 *
 * @param count number of values
 */
public record LatencyFigures(long count, double meanMs, double p50Ms, double p90Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs) {

  /** Figures of a histogram recorded in microseconds; all zero when it is empty. */
  public static LatencyFigures of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencyFigures(0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencyFigures(micros.getTotalCount(), micros.getMean() / 1000.0, ms(micros, 50), ms(micros, 90), ms(micros, 95),
        ms(micros, 99), ms(micros, 99.9), micros.getMaxValue() / 1000.0);
  }

  private static double ms(Histogram micros, double percentile) {
    return micros.getValueAtPercentile(percentile) / 1000.0;
  }
}
