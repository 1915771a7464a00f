package dev.sluice.loadgen;

/**
 * What the load generator did.
 *
 * @param sent requests handed to the sender, warmup included
 * @param startNanos when the first request was due
 * @param measuredStartNanos when the first measured request was due (or sent, in closed loop)
 * @param endNanos when the generator stopped
 * @param lag open loop only (else null): how late each measured send was against its schedule
 * @param stopReason null when the generator finished its plan, else why it stopped early
 */
public record GeneratorResult(long sent, long startNanos, long measuredStartNanos, long endNanos, LatencyFigures lag, String stopReason) {
  /** The generator counts as keeping up when 99% of its sends were at most this late, in milliseconds. */
  public static final double KEPT_UP_P99_LAG_MS = 10.0;

  /** Open loop: whether the generator kept to its schedule; closed loop: null. */
  public Boolean keptUp() {
    return lag == null ? null : lag.p99Ms() <= KEPT_UP_P99_LAG_MS && stopReason == null;
  }
}
