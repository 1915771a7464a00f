package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions of one model a worker serves, version to {@link ModelRunner}, kept in step with the
 * model registry by a {@link ModelRegistryFeed}. Every deployed version is loaded (shadow and
 * weight-0 versions too: a request may name any deployed version), in the background; a loaded
 * runner is staged, and only the worker loop swaps it in ({@link #applyChanges}), between flushes,
 * closing the runner it replaces, so no batch runs on a closed runner. A removed (tombstoned)
 * version serves the requests already consumed for it and closes once none waits; later requests
 * for it get ERROR results. A version the feed has not seen may just be newer than what it has
 * read (the ingress routes to a version as soon as it sees it): {@link #lookup} has the registry
 * read to its current end ({@link ModelRegistrySync}) before calling it missing. A failed load
 * ({@link VersionLoad}) fails that deployment and keeps the version's previous runner, if any.
 * Each version's state is one {@link VersionState}, all under this fleet's monitor. Its meters are
 * bound by {@link ModelFleetMetrics}. Thread-safe.
 */
public final class ModelFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFleet.class);

  private final String model;
  private final ModelLoader loader;
  private final Executor loads;
  private final List<LoadListener> loadListeners = new CopyOnWriteArrayList<>();
  private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();

  /** Every version the fleet knows of, in version order. */
  private final Map<String, VersionState> versions = new TreeMap<>();
  private final ModelRegistrySync sync = new ModelRegistrySync();
  private long generation;
  private Throwable feedFailure;
  private boolean closed;

  /** Told of each finished load, on the thread that loaded. */
  @FunctionalInterface
  interface LoadListener {
    /** A load of the deployment finished after {@code nanos}, superseded or not. */
    void loadFinished(ModelDeployment deployment, boolean succeeded, long nanos);
  }

  /**
   * Told where each version stands as this fleet sees it: a load started, the current deployment
   * serves, the current deployment failed to load, the version was undeployed. Called outside the
   * fleet's monitor, on the thread that saw the change (the registry feed's or the loader's).
   */
  public interface StateListener {
    /** The deployment began to load. */
    void loading(ModelDeployment deployment);

    /** The deployment loaded and is staged to serve. */
    void ready(ModelDeployment deployment, String device);

    /** The deployment failed to load. */
    void failed(ModelDeployment deployment, String reason);

    /** The version was undeployed. */
    void undeployed(String version);
  }

  /** An empty fleet of a model; loads run on {@code loads} (one background thread in production). */
  public ModelFleet(String model, ModelLoader loader, Executor loads) {
    this.model = Objects.requireNonNull(model, "model");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.loads = Objects.requireNonNull(loads, "loads");
  }

  /** Tells the listener of every load that finishes from now on. */
  void onLoadFinished(LoadListener listener) {
    loadListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Tells the listener of every state change from now on. */
  public void onStateChange(StateListener listener) {
    stateListeners.add(Objects.requireNonNull(listener, "listener"));
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
      if (closed) {
        return;
      }
      VersionState state = versions.computeIfAbsent(version, v -> new VersionState());
      if (state.wants(deployment)) {
        return;
      }
      sync.seen(version);
      if (state.deploy(deployment, toClose)) {
        long loadGeneration = ++generation;
        state.loading(loadGeneration);
        task = new VersionLoad(this, loader, deployment, loadGeneration);
      }
      notifyAll();
    }
    closeAll(toClose);
    if (task != null) {
      LOG.info("Loading model {} version {} from {}", model, version, deployment.getArtifactUri());
      stateListeners.forEach(listener -> listener.loading(deployment));
      loads.execute(task);
    }
  }

  /** A version was undeployed (tombstoned): it drains and closes. */
  public void removed(String version) {
    List<ModelRunner> toClose = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      sync.seen(version);
      VersionState state = versions.get(version);
      if (state != null) {
        state.remove(toClose);
        forgetIfEmpty(version, state);
      }
      notifyAll();
    }
    closeAll(toClose);
    LOG.info("Model {} version {} was undeployed", model, version);
    stateListeners.forEach(listener -> listener.undeployed(version));
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
    VersionState state = versions.get(version);
    if (state != null && state.serving() != null) {
      return new VersionLookup.Ready(state.serving().runner(), state.serving().deployment());
    }
    if (state != null && state.pending()) {
      return new VersionLookup.Pending("model " + model + " version " + version + " is loading");
    }
    if (state != null && state.failure() != null) {
      return new VersionLookup.Missing(state.failure());
    }
    if (sync.missingAfterRead(version)) {
      List<String> deployed = versions.entrySet().stream().filter(e -> e.getValue().wanted() != null).map(Map.Entry::getKey).toList();
      return new VersionLookup.Missing("model " + model + " has no version " + version + " deployed; deployed: " + deployed);
    }
    return new VersionLookup.Pending("reading the model registry for model " + model + " version " + version);
  }

  /**
   * Swaps staged runners in and closes replaced ones, and closes removed versions once drained.
   * Call from the worker loop's thread, between flushes only.
   *
   * @param drained whether no consumed request of a version still waits to run
   */
  public void applyChanges(Predicate<String> drained) {
    List<ModelRunner> toClose = new ArrayList<>();
    synchronized (this) {
      versions.forEach((version, state) -> {
        VersionState.Swap swap = state.swapIn(toClose);
        if (swap != VersionState.Swap.NONE) {
          LOG.info("Model {} version {} swapped in{}", model, version, swap == VersionState.Swap.REPLACED ? ", replacing the earlier load" : "");
        }
      });
      for (Map.Entry<String, VersionState> entry : List.copyOf(versions.entrySet())) {
        if (entry.getValue().retireIfDrained(drained.test(entry.getKey()), toClose)) {
          LOG.info("Model {} version {} drained and closed", model, entry.getKey());
          forgetIfEmpty(entry.getKey(), entry.getValue());
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
    return loadedCount() > 0;
  }

  /** The versions loaded and serving. */
  public synchronized List<String> activeVersions() {
    return versions.entrySet().stream().filter(e -> e.getValue().serving() != null).map(Map.Entry::getKey).toList();
  }

  /** True when the registry was read at start and holds no version of this model, deployed or being removed. */
  public synchronized boolean nothingDeployed() {
    return feedFailure == null && sync.startUpDone() && versions.values().stream().allMatch(state -> state.wanted() == null && state.serving() == null);
  }

  /** True when the registry was read and every deployed version failed to load, none serving. */
  public synchronized boolean everyLoadFailed() {
    return feedFailure == null && sync.startUpDone() && versions.values().stream().noneMatch(s -> s.serving() != null || s.pending())
        && versions.values().stream().anyMatch(s -> s.failure() != null);
  }

  /** Why no version serves yet, or empty when one does. */
  public synchronized Optional<String> notServingReason() {
    if (feedFailure != null) {
      return Optional.of("the model registry reader failed: " + feedFailure);
    }
    if (hasActive()) {
      return Optional.empty();
    }
    if (!sync.startUpDone()) {
      return Optional.of("reading the model registry");
    }
    List<String> pending = versions.entrySet().stream().filter(e -> e.getValue().pending()).map(Map.Entry::getKey).toList();
    if (!pending.isEmpty()) {
      return Optional.of("loading model " + model + " versions " + pending);
    }
    List<String> failures = versions.values().stream().map(VersionState::failure).filter(Objects::nonNull).toList();
    if (!failures.isEmpty()) {
      return Optional.of(String.join("; ", failures));
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
      versions.values().forEach(state -> state.close(toClose));
      notifyAll();
    }
    closeAll(toClose);
  }

  /** A load finished: stage the runner for a swap, unless the deployment was superseded or removed meanwhile. */
  void loaded(ModelDeployment deployment, long loadGeneration, ModelRunner runner, long nanos) {
    loadListeners.forEach(listener -> listener.loadFinished(deployment, true, nanos));
    String version = deployment.getVersion();
    boolean current;
    synchronized (this) {
      VersionState state = versions.get(version);
      current = !closed && state != null && state.loaded(loadGeneration, deployment, runner);
      if (current) {
        notifyAll();
      }
    }
    if (current) {
      LOG.info("Loaded model {} version {} ({}) in {} ms", model, version, runner.info(), TimeUnit.NANOSECONDS.toMillis(nanos));
      stateListeners.forEach(listener -> listener.ready(deployment, runner.info().device()));
    } else {
      LOG.info("Model {} version {} was superseded or removed while loading; closing that load", model, version);
      runner.close();
    }
  }

  /** A load failed: the version fails unless the deployment was superseded meanwhile. */
  void loadFailed(ModelDeployment deployment, long loadGeneration, Exception failure, long nanos) {
    loadListeners.forEach(listener -> listener.loadFinished(deployment, false, nanos));
    String version = deployment.getVersion();
    String reason = "model " + model + " version " + version + " failed to load from " + deployment.getArtifactUri() + ": " + failure.getMessage();
    LOG.error("{}", reason, failure);
    boolean current;
    synchronized (this) {
      VersionState state = versions.get(version);
      current = state != null && state.loadFailed(loadGeneration, reason);
      if (current) {
        notifyAll();
      }
    }
    if (current) {
      stateListeners.forEach(listener -> listener.failed(deployment, reason));
    }
  }

  private void forgetIfEmpty(String version, VersionState state) {
    if (state.forgotten()) {
      versions.remove(version);
    }
  }

  /** Versions loaded and serving. */
  synchronized int loadedCount() {
    return (int) versions.values().stream().filter(state -> state.serving() != null).count();
  }

  private static void closeAll(List<ModelRunner> runners) {
    runners.forEach(ModelRunner::close);
  }
}
