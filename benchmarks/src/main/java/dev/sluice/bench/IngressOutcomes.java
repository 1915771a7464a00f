package dev.sluice.bench;

import java.util.Map;

/**
 * Where the ingress sent every request of a measured pass.
 *
 * @param routed primary requests written to the model's inference topic
 * @param shadowCopies extra shadow copies on the inference topic (not outcomes)
 * @param rejected dead letters on the rejected topic
 * @param answeredFromCache cached answers the ingress wrote to the results topic
 * @param dedupDrops retries dropped, from the {@code sluice.ingress.dedup.drops} meter
 * @param rejectionsByReason dead letters by reason code, from the {@code sluice.ingress.rejections} meter
 * @param routedByVersion primary requests by model version, from the {@code sluice.ingress.routed} meter
 */
record IngressOutcomes(long routed, long shadowCopies, long rejected, long answeredFromCache, long dedupDrops,
    Map<String, Long> rejectionsByReason, Map<String, Long> routedByVersion) {
  IngressOutcomes {
    rejectionsByReason = Map.copyOf(rejectionsByReason);
    routedByVersion = Map.copyOf(routedByVersion);
  }

  /** Every outcome together; equals the requests when nothing was lost or doubled. */
  long sum() {
    return routed + rejected + answeredFromCache + dedupDrops;
  }
}
