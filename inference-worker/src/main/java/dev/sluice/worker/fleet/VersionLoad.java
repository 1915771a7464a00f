package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One background load of a deployment for a {@link ModelFleet}, timed as
 * {@value ModelFleet#LOAD_TIMER} (outcome success or failure). A loader that throws anything but
 * an Error fails only this deployment: a bad artifact must not crash-loop the worker.
 */
final class VersionLoad implements Runnable {
  private final ModelFleet fleet;
  private final ModelLoader loader;
  private final ModelDeployment deployment;
  private final long generation;
  private final MeterRegistry meters;

  VersionLoad(ModelFleet fleet, ModelLoader loader, ModelDeployment deployment, long generation, MeterRegistry meters) {
    this.fleet = fleet;
    this.loader = loader;
    this.deployment = deployment;
    this.generation = generation;
    this.meters = meters;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    ModelRunner runner;
    try {
      runner = loader.load(deployment);
    } catch (ModelLoadException | RuntimeException e) {
      timer("failure").record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      fleet.loadFailed(deployment, generation, e);
      return;
    }
    long nanos = System.nanoTime() - start;
    timer("success").record(nanos, TimeUnit.NANOSECONDS);
    fleet.loaded(deployment, generation, runner, TimeUnit.NANOSECONDS.toMillis(nanos));
  }

  private Timer timer(String outcome) {
    return Timer.builder(ModelFleet.LOAD_TIMER).description("Time to load one model version")
        .tags("model", deployment.getModel(), "version", deployment.getVersion(), "outcome", outcome).register(meters);
  }
}
