package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunner;

/**
 * One background load of a deployment for a {@link ModelFleet}, which it tells how the load went
 * and how long it took. A loader that throws anything but an Error fails only this deployment: a
 * bad artifact must not crash-loop the worker.
 */
final class VersionLoad implements Runnable {
  private final ModelFleet fleet;
  private final ModelLoader loader;
  private final ModelDeployment deployment;
  private final long generation;

  VersionLoad(ModelFleet fleet, ModelLoader loader, ModelDeployment deployment, long generation) {
    this.fleet = fleet;
    this.loader = loader;
    this.deployment = deployment;
    this.generation = generation;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    ModelRunner runner;
    try {
      runner = loader.load(deployment);
    } catch (ModelLoadException | RuntimeException e) {
      fleet.loadFailed(deployment, generation, e, System.nanoTime() - start);
      return;
    }
    fleet.loaded(deployment, generation, runner, System.nanoTime() - start);
  }
}
