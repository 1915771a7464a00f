package dev.sluice.bench;

/**
 * A round: the same requests through the pass-through and then the ingress.
 *
 * @param label warmup or measured
 * @param expectations what the ingress had to make of the requests
 * @param passThrough the pass-through's run
 * @param ingress the ingress's run
 * @param outcomes where the ingress sent the requests
 * @param seededResults worker results seeded into the result cache before the ingress ran
 */
record RoundResult(String label, WorkloadExpectations expectations, PassMeasurement passThrough, PassMeasurement ingress,
    IngressOutcomes outcomes, long seededResults) {

  /** Ingress records/s over pass-through records/s. */
  double ratio() {
    return ingress.recordsPerSecond() / passThrough.recordsPerSecond();
  }

  /** The pass-through wrote exactly one record per request. */
  boolean passThroughComplete() {
    return passThrough.outputs().values().stream().mapToLong(Long::longValue).sum() == expectations.requests();
  }

  /**
   * The ingress accounted for every request exactly once, and as the workload dictates: the
   * expected dead letters, one dedup drop per retry, and no more cache answers than repeats of
   * popular texts.
   */
  boolean ingressAccountingHolds() {
    return outcomes.sum() == expectations.requests()
        && outcomes.rejected() == expectations.rejected()
        && outcomes.dedupDrops() == expectations.retries()
        && outcomes.answeredFromCache() <= expectations.popular();
  }
}
