package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelRunner;
import java.util.List;

/**
 * What a {@link ModelFleet} knows of one version of its model: the deployment the registry wants,
 * the runner serving, a runner loaded and staged for the next swap, the load in progress, why the
 * wanted deployment failed to load, and whether the version was removed and is draining. Not
 * thread-safe: the fleet's monitor guards it. Runners a transition replaces are added to the
 * caller's list, to be closed outside the monitor.
 */
final class VersionState {
  /** A runner and the deployment it was loaded from. */
  record Loaded(ModelDeployment deployment, ModelRunner runner) {}

  private static final long NOT_LOADING = 0;

  private ModelDeployment wanted;
  private Loaded serving;
  private Loaded staged;
  private long loadGeneration = NOT_LOADING;
  private String failure;
  private boolean retiring;

  /** The deployment the registry holds for this version, or null once removed. */
  ModelDeployment wanted() {
    return wanted;
  }

  /** The runner swapped in, or null. */
  Loaded serving() {
    return serving;
  }

  /** Whether a load is running or a loaded runner waits for the swap. */
  boolean pending() {
    return staged != null || loadGeneration != NOT_LOADING;
  }

  /** Why the wanted deployment failed to load, or null. */
  String failure() {
    return failure;
  }

  /** Whether nothing is known any more: the fleet may forget the version. */
  boolean forgotten() {
    return wanted == null && serving == null && !pending() && failure == null && !retiring;
  }

  /** Whether the registry already holds exactly this deployment. */
  boolean wants(ModelDeployment deployment) {
    return deployment.equals(wanted);
  }

  /**
   * The registry deployed (or changed) the version. A change that loads the same model (traffic
   * weight, shadow flag, description) keeps the serving runner; otherwise a load is wanted.
   *
   * @return whether the deployment must be loaded (the caller then calls {@link #loading})
   */
  boolean deploy(ModelDeployment deployment, List<ModelRunner> toClose) {
    wanted = deployment;
    retiring = false;
    failure = null;
    dropStaged(toClose);
    if (serving != null && sameModel(serving.deployment(), deployment)) {
      serving = new Loaded(deployment, serving.runner());
      loadGeneration = NOT_LOADING;
      return false;
    }
    return true;
  }

  /** A load of the wanted deployment started under this generation (never 0); an earlier load is superseded. */
  void loading(long generation) {
    loadGeneration = generation;
  }

  /** The registry removed the version: a serving runner drains ({@link #retireIfDrained}). */
  void remove(List<ModelRunner> toClose) {
    wanted = null;
    loadGeneration = NOT_LOADING;
    failure = null;
    dropStaged(toClose);
    retiring = serving != null;
  }

  /**
   * A load finished: stages its runner, unless the load was superseded or the version removed.
   *
   * @return whether it was staged (else the caller closes the runner)
   */
  boolean loaded(long generation, ModelDeployment deployment, ModelRunner runner) {
    if (generation != loadGeneration) {
      return false;
    }
    loadGeneration = NOT_LOADING;
    staged = new Loaded(deployment, runner);
    return true;
  }

  /** A load failed: the version fails with the reason, unless the load was superseded meanwhile. */
  boolean loadFailed(long generation, String reason) {
    if (generation != loadGeneration) {
      return false;
    }
    loadGeneration = NOT_LOADING;
    failure = reason;
    return true;
  }

  /** Swaps a staged runner in; the one it replaces goes to {@code toClose}. */
  Swap swapIn(List<ModelRunner> toClose) {
    if (staged == null) {
      return Swap.NONE;
    }
    Loaded replaced = serving;
    serving = staged;
    staged = null;
    if (replaced == null) {
      return Swap.FIRST;
    }
    toClose.add(replaced.runner());
    return Swap.REPLACED;
  }

  /** What {@link #swapIn} did. */
  enum Swap { NONE, FIRST, REPLACED }

  /**
   * Closes a removed version's runner once no waiting request needs it.
   *
   * @return whether it closed
   */
  boolean retireIfDrained(boolean drained, List<ModelRunner> toClose) {
    if (!retiring || !drained) {
      return false;
    }
    retiring = false;
    toClose.add(serving.runner());
    serving = null;
    return true;
  }

  /** The fleet closes: the serving and the staged runner go; a load finishing later closes its own. */
  void close(List<ModelRunner> toClose) {
    retiring = false;
    if (serving != null) {
      toClose.add(serving.runner());
      serving = null;
    }
    dropStaged(toClose);
  }

  /** Whether two deployments of a version load the same model: same artifact, engine, task, labels, properties and endpoints. */
  static boolean sameModel(ModelDeployment a, ModelDeployment b) {
    return a.getArtifactUri().equals(b.getArtifactUri()) && a.getEngine() == b.getEngine() && a.getTask() == b.getTask()
        && a.getLabels().equals(b.getLabels()) && a.getProperties().equals(b.getProperties()) && a.getEndpoints().equals(b.getEndpoints());
  }

  private void dropStaged(List<ModelRunner> toClose) {
    if (staged != null) {
      toClose.add(staged.runner());
      staged = null;
    }
  }
}
