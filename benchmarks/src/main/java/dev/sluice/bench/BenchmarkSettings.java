package dev.sluice.bench;

import dev.sluice.topology.ingress.IngressConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's options, checked together.
 *
 * @param requests requests in the measured round
 * @param partitions partitions of the requests and output topics (so {@code ingress.request.partitions})
 * @param warmup requests in the warm-up round (0: none)
 * @param dataDir where the broker and the Streams state live; null for a temporary directory
 *     deleted afterwards
 * @param json where to write the machine-readable report; null for none
 * @param threads {@code num.stream.threads} of both topologies
 * @param commitIntervalMs {@code commit.interval.ms} of both topologies
 * @param ratePerSecond the ingress's default per-tenant rate limit; 0 for unlimited (the
 *     ingress's default)
 * @param seed the workload's seed
 * @param passTimeout bound on each timed run
 * @param keyedByRequestId the share of requests with an idempotency key that are keyed by their
 *     request id rather than by that key (the ingress passes most of those to the task owning the key)
 */
record BenchmarkSettings(long requests, int partitions, long warmup, Path dataDir, Path json, int threads, long commitIntervalMs,
    double ratePerSecond, long seed, Duration passTimeout, double keyedByRequestId) {

  /** @throws IllegalArgumentException listing every invalid option, one per line */
  BenchmarkSettings {
    List<String> problems = new ArrayList<>();
    check(problems, requests >= 1, "--requests", requests, "must be >= 1");
    check(problems, partitions >= 1, "--partitions", partitions, "must be >= 1");
    check(problems, warmup >= 0, "--warmup", warmup, "must be >= 0");
    check(problems, threads >= 1, "--threads", threads, "must be >= 1");
    check(problems, commitIntervalMs >= 0, "--commit-interval-ms", commitIntervalMs, "must be >= 0");
    check(problems, Double.isFinite(ratePerSecond) && ratePerSecond >= 0, "--rate-limit-per-second", ratePerSecond,
        "must be a finite number >= 0");
    check(problems, passTimeout.toSeconds() >= 1, "--pass-timeout-s", passTimeout.toSeconds(), "must be >= 1");
    check(problems, keyedByRequestId >= 0 && keyedByRequestId <= 1, "--keyed-by-request-id", keyedByRequestId, "must be between 0 and 1");
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** Ingress keys beyond the shared Streams settings: the rate limit when one is set. */
  Map<String, String> ingressOverrides() {
    if (ratePerSecond == 0) {
      return Map.of();
    }
    String rate = Double.toString(ratePerSecond);
    return Map.of(IngressConfig.RATE_PER_SECOND, rate, IngressConfig.RATE_BURST, rate);
  }

  private static void check(List<String> problems, boolean valid, String option, Object value, String rule) {
    if (!valid) {
      problems.add("Invalid value " + value + " for option " + option + ": " + rule);
    }
  }
}
