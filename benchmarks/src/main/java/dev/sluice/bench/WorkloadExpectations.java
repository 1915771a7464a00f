package dev.sluice.bench;

import dev.sluice.avro.ReasonCode;
import java.util.Map;

/**
 * What the ingress must make of a generated workload, known from how it was generated.
 *
 * @param requests requests generated
 * @param rejections requests that must be dead-lettered, by reason code
 * @param retries requests that repeat an earlier request's idempotency key within the dedup TTL:
 *     each pair leaves exactly one counted dedup drop
 * @param popular requests repeating one of the popular texts whose results are seeded in the
 *     result cache: each is answered from the cache or routed, depending on whether the cache had
 *     been fed when it arrived
 * @param withIdempotencyKey requests carrying an idempotency key (retries included)
 */
record WorkloadExpectations(long requests, Map<ReasonCode, Long> rejections, long retries, long popular, long withIdempotencyKey) {
  WorkloadExpectations {
    rejections = Map.copyOf(rejections);
  }

  /** Requests that must be dead-lettered, all reasons together. */
  long rejected() {
    return rejections.values().stream().mapToLong(Long::longValue).sum();
  }
}
