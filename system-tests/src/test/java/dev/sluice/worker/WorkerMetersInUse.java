package dev.sluice.worker;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Status;
import dev.sluice.avro.Timings;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.fleet.ModelFleetMetrics;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.remote.EndpointMetersInUse;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;

/**
 * For the deploy tests (system-tests): the worker's real {@link WorkerMetrics} after a committed
 * flush (a result, a batch, a dead letter) and an aborted one, and the real {@link ModelFleetMetrics}
 * after a load, so a scrape shows the per-version series a busy worker exposes. In the worker's
 * package to reach its recording methods, which the worker keeps to itself.
 */
public final class WorkerMetersInUse {
  private WorkerMetersInUse() {}

  /** Binds the worker's meters to {@code registry} and records one of each kind. */
  public static void bindAndRecord(MeterRegistry registry) {
    WorkerMetrics metrics = new WorkerMetrics("m", () -> 3);
    metrics.bindTo(registry);
    InferenceResult result = InferenceResult.newBuilder().setRequestId("r").setModel("m").setModelVersion("v1").setStatus(Status.OK)
        .setTimings(Timings.newBuilder().setQueuedMs(2).setEndToEndMs(9).build()).setCompletedAt(Instant.EPOCH).build();
    metrics.committed(new RequestAnswerer.Answers(List.of(), List.of(result),
        List.of(new RequestAnswerer.Batch("m", "v1", 8, new BatchExecutor.Executed(List.of(), 100, 120, 5_000_000, 0, null))), 1, List.of()));
    metrics.aborted();
    ModelFleet fleet = new ModelFleet("m", deployment -> {
      throw new ModelLoadException("no model here", null);
    }, Runnable::run);
    new ModelFleetMetrics(fleet).bindTo(registry);
    fleet.deployed(ModelDeployment.newBuilder().setModel("m").setVersion("v1").setArtifactUri("classpath:none").setDeployedAt(Instant.EPOCH).build());
    EndpointMetersInUse.bindAndRecord(registry);
  }
}
