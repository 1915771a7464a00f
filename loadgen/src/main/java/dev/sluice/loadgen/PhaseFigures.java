package dev.sluice.loadgen;

import java.util.Map;

/**
 * What became of the requests of one phase (warmup or measured).
 *
 * @param sent requests handed to Kafka
 * @param sendFailures requests Kafka refused or failed to deliver (and that got no outcome)
 * @param ok results with status OK (cached ones included)
 * @param error results with status ERROR
 * @param expired results with status EXPIRED
 * @param cached OK results answered from the ingress's result cache
 * @param rejectedByReason rejections by reason code
 * @param missing requests sent without any outcome within the timeout
 * @param duplicates outcomes for a request that already had one (must be 0 for read_committed)
 * @param latency end-to-end latency of the OK results: from the request's creation (its scheduled
 *     time in open loop) until its result was read
 * @param sendRate achieved send rate, requests per second between the first and the last send
 * @param outcomeThroughput outcomes (results and rejections) per second, from the first send to the last outcome
 */
public record PhaseFigures(long sent, long sendFailures, long ok, long error, long expired, long cached,
    Map<String, Long> rejectedByReason, long missing, long duplicates, LatencyFigures latency, double sendRate, double outcomeThroughput) {

  public PhaseFigures {
    rejectedByReason = Map.copyOf(rejectedByReason);
  }

  /** All rejections. */
  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests with an outcome: results and rejections. */
  public long answered() {
    return ok + error + expired + rejected();
  }
}
