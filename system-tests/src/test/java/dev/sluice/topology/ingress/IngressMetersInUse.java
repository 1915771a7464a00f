package dev.sluice.topology.ingress;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Stage;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * For the deploy tests (system-tests): the ingress's real {@link IngressMetrics} with every
 * meter it registers only once a tag appears (a rejection, a cache hit, a routed request) and every
 * outcome's latency recorded, so a scrape shows the series a busy ingress exposes. In the
 * ingress's package to reach its recording methods, which the ingress keeps to itself.
 */
public final class IngressMetersInUse {
  private IngressMetersInUse() {}

  /** Binds the ingress's meters to {@code registry} and records one of each kind. */
  public static void bindAndRecord(MeterRegistry registry) {
    IngressMetrics metrics = new IngressMetrics();
    metrics.bindTo(registry);
    metrics.entered(Stage.DECODE);
    metrics.passed(Stage.DECODE);
    metrics.rejected(ReasonCode.DESERIALIZATION_FAILED, Stage.DECODE);
    metrics.dedupDropped();
    metrics.dedupExpired(1);
    metrics.cacheHit("m", "v1");
    metrics.cacheFilled();
    metrics.routed("m", "v1", false);
    metrics.routed("m", "v2", true);
    metrics.rerouted();
    metrics.recordFailed();
    for (IngressMetrics.Outcome outcome : IngressMetrics.Outcome.values()) {
      metrics.answered(outcome, System.nanoTime() - 1_000_000);
    }
  }
}
