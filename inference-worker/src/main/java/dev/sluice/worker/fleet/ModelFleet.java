package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions of one model a worker serves, version to {@link ModelRunner}, kept in step with the
 * model registry by a {@link ModelRegistryFeed}. Every deployed version is loaded (shadow and
 * weight-0 versions too: a request may name any deployed version), in the background; a loaded
 * runner is staged, and only the worker loop swaps it in ({@link #applyChanges}), between batches,
 * closing the runner it replaces, so no batch runs on a closed runner. A removed (tombstoned)
 * version serves the requests already consumed for it and closes once none waits; later requests
 * for it get ERROR results. A version the feed has not seen may just be newer than what it has
 * read (the ingress routes to a version as soon as it sees it): {@link #lookup} has the registry
 * read to its current end ({@link RegistrySync}) before calling it missing. A failed load
 * ({@link VersionLoad}) fails that deployment and keeps the version's previous runner, if any.
 * Meters: {@value #LOAD_TIMER} (tags model, version, outcome), {@value #LOADED_GAUGE}. Thread-safe.
 */
public final class ModelFleet implements AutoCloseable {
  /** Load time per deployment. */
  public static final String LOAD_TIMER = "sluice.worker.model.load";
  /** Versions loaded and serving. */
  public static final String LOADED_GAUGE = "sluice.worker.models.loaded";
  private static final Logger LOG = LoggerFactory.getLogger(ModelFleet.class);

  private final String model;
  private final ModelLoader loader;
  private final Executor loads;
  private final MeterRegistry meters;

  private final Map<String, Loaded> active = new TreeMap<>();
  private final Map<String, Loaded> staged = new HashMap<>();
  private final Map<String, ModelDeployment> wanted = new TreeMap<>();
  private final Map<String, Long> loading = new TreeMap<>();
  private final Map<String, String> failures = new TreeMap<>();
  private final Set<String> retiring = new HashSet<>();
  private final RegistrySync sync = new RegistrySync();
  private long generation;
  private Throwable feedFailure;
  private boolean closed;

  private record Loaded(ModelDeployment deployment, ModelRunner runner) {}

  /** An empty fleet of a model; loads run on {@code loads} (one background thread in production). */
  public ModelFleet(String model, ModelLoader loader, Executor loads, MeterRegistry meters) {
    this.model = Objects.requireNonNull(model, "model");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.loads = Objects.requireNonNull(loads, "loads");
    this.meters = Objects.requireNonNull(meters, "meters");
    Gauge.builder(LOADED_GAUGE, this, ModelFleet::loadedCount).description("Model versions loaded and serving")
        .tag("model", model).register(meters);
  }

  /** The model served. */
  public String model() {
    return model;
  }

  /** A deployment of this model appeared or changed: loads it in the background unless it is already there. */
  public void deployed(ModelDeployment deployment) {
    String version = deployment.getVersion();
    List<ModelRunner> toClose = new ArrayList<>();
    Runnable task = null;
    synchronized (this) {
      if (closed || deployment.equals(wanted.get(version))) {
        return;
      }
      wanted.put(version, deployment);
      retiring.remove(version);
      sync.seen(version);
      failures.remove(version);
      dropStaged(version, toClose);
      Loaded current = active.get(version);
      if (current != null && sameModel(current.deployment(), deployment)) {
        // A change of traffic weight, shadow flag or description: the loaded runner serves on.
        active.put(version, new Loaded(deployment, current.runner()));
        loading.remove(version);
      } else {
        long loadGeneration = ++generation;
        loading.put(version, loadGeneration);
        task = new VersionLoad(this, loader, deployment, loadGeneration, meters);
      }
      notifyAll();
    }
    closeAll(toClose);
    if (task != null) {
      LOG.info("Loading model {} version {} from {}", model, version, deployment.getArtifactUri());
      loads.execute(task);
    }
  }

  /** Whether two deployments of a version load the same model: same artifact, engine, task, labels and properties. */
  static boolean sameModel(ModelDeployment a, ModelDeployment b) {
    return a.getArtifactUri().equals(b.getArtifactUri()) && a.getEngine() == b.getEngine() && a.getTask() == b.getTask()
        && a.getLabels().equals(b.getLabels()) && a.getProperties().equals(b.getProperties());
  }

  /** A version was undeployed (tombstoned): it drains and closes. */
  public void removed(String version) {
    List<ModelRunner> toClose = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      wanted.remove(version);
      loading.remove(version);
      failures.remove(version);
      sync.seen(version);
      dropStaged(version, toClose);
      if (active.containsKey(version)) {
        retiring.add(version);
      }
      notifyAll();
    }
    closeAll(toClose);
    LOG.info("Model {} version {} was undeployed", model, version);
  }

  /** The number of the latest registry read-to-end that a lookup asked for; 0 is the start-up read. */
  public synchronized long syncWanted() {
    return sync.wanted();
  }

  /** The feed has read the registry to the end it saw when {@code request} was wanted. */
  public synchronized void synced(long request) {
    sync.done(request);
    notifyAll();
  }

  /** The feed failed; the worker stops. */
  public synchronized void feedFailed(Throwable failure) {
    feedFailure = failure;
    notifyAll();
  }

  /** The feed's failure, if it failed. */
  public synchronized Optional<Throwable> failure() {
    return Optional.ofNullable(feedFailure);
  }

  /** What the worker can do with requests for a version now. For the worker loop's thread. */
  public synchronized VersionLookup lookup(String version) {
    Loaded loaded = active.get(version);
    if (loaded != null) {
      return new VersionLookup.Ready(loaded.runner(), loaded.deployment());
    }
    if (staged.containsKey(version) || loading.containsKey(version)) {
      return new VersionLookup.Pending("model " + model + " version " + version + " is loading");
    }
    String failure = failures.get(version);
    if (failure != null) {
      return new VersionLookup.Missing(failure);
    }
    if (sync.missingAfterRead(version)) {
      return new VersionLookup.Missing("model " + model + " has no version " + version + " deployed; deployed: " + wanted.keySet());
    }
    return new VersionLookup.Pending("reading the model registry for model " + model + " version " + version);
  }

  /**
   * Swaps staged runners in and closes replaced ones, and closes removed versions once drained.
   * Call from the worker loop's thread, between batches only.
   *
   * @param drained whether no consumed request of a version still waits to run
   */
  public void applyChanges(Predicate<String> drained) {
    List<ModelRunner> toClose = new ArrayList<>();
    synchronized (this) {
      staged.forEach((version, loaded) -> {
        Loaded replaced = active.put(version, loaded);
        if (replaced != null) {
          toClose.add(replaced.runner());
        }
        LOG.info("Model {} version {} swapped in{}", model, version, replaced == null ? "" : ", replacing the earlier load");
      });
      staged.clear();
      for (String version : List.copyOf(retiring)) {
        if (drained.test(version)) {
          retiring.remove(version);
          toClose.add(active.remove(version).runner());
          LOG.info("Model {} version {} drained and closed", model, version);
        }
      }
      if (!toClose.isEmpty()) {
        notifyAll();
      }
    }
    closeAll(toClose);
  }

  /** Whether at least one version is loaded and serving. */
  public synchronized boolean hasActive() {
    return !active.isEmpty();
  }

  /** The versions loaded and serving. */
  public synchronized List<String> activeVersions() {
    return List.copyOf(active.keySet());
  }

  /** True when the registry was read and every deployed version failed to load, none serving. */
  public synchronized boolean everyLoadFailed() {
    return feedFailure == null && active.isEmpty() && staged.isEmpty() && loading.isEmpty() && sync.startUpDone() && !failures.isEmpty();
  }

  /** Why no version serves yet, or empty when one does. */
  public synchronized Optional<String> notServingReason() {
    if (feedFailure != null) {
      return Optional.of("the model registry reader failed: " + feedFailure);
    }
    if (!active.isEmpty()) {
      return Optional.empty();
    }
    if (!sync.startUpDone()) {
      return Optional.of("reading the model registry");
    }
    if (!staged.isEmpty() || !loading.isEmpty()) {
      Set<String> pending = new TreeSet<>(loading.keySet());
      pending.addAll(staged.keySet());
      return Optional.of("loading model " + model + " versions " + pending);
    }
    if (!failures.isEmpty()) {
      return Optional.of(String.join("; ", failures.values()));
    }
    return Optional.of("no version of model " + model + " is deployed");
  }

  /** Waits up to the timeout for any change (a load, a swap, a registry event). */
  public synchronized void awaitChange(Duration timeout) throws InterruptedException {
    if (!closed && feedFailure == null) {
      TimeUnit.MILLISECONDS.timedWait(this, Math.max(1, timeout.toMillis()));
    }
  }

  /** Closes every runner, loaded or staged; loads finishing later close their runner at once. */
  @Override
  public void close() {
    List<ModelRunner> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      active.values().forEach(loaded -> toClose.add(loaded.runner()));
      staged.values().forEach(loaded -> toClose.add(loaded.runner()));
      active.clear();
      staged.clear();
      notifyAll();
    }
    closeAll(toClose);
  }

  /** A load finished: stage the runner for a swap, unless the deployment was superseded or removed meanwhile. */
  void loaded(ModelDeployment deployment, long loadGeneration, ModelRunner runner, long millis) {
    String version = deployment.getVersion();
    boolean current;
    synchronized (this) {
      current = !closed && Long.valueOf(loadGeneration).equals(loading.get(version));
      if (current) {
        loading.remove(version);
        staged.put(version, new Loaded(deployment, runner));
        notifyAll();
      }
    }
    if (current) {
      LOG.info("Loaded model {} version {} ({}) in {} ms", model, version, runner.info(), millis);
    } else {
      LOG.info("Model {} version {} was superseded or removed while loading; closing that load", model, version);
      runner.close();
    }
  }

  /** A load failed: the version fails unless the deployment was superseded meanwhile. */
  void loadFailed(ModelDeployment deployment, long loadGeneration, Exception failure) {
    String version = deployment.getVersion();
    String reason = "model " + model + " version " + version + " failed to load from " + deployment.getArtifactUri() + ": " + failure.getMessage();
    LOG.error("{}", reason, failure);
    synchronized (this) {
      if (Long.valueOf(loadGeneration).equals(loading.get(version))) {
        loading.remove(version);
        failures.put(version, reason);
        notifyAll();
      }
    }
  }

  private void dropStaged(String version, List<ModelRunner> toClose) {
    Loaded dropped = staged.remove(version);
    if (dropped != null) {
      toClose.add(dropped.runner());
    }
  }

  private synchronized int loadedCount() {
    return active.size();
  }

  private static void closeAll(List<ModelRunner> runners) {
    runners.forEach(ModelRunner::close);
  }
}
