package dev.sluice.worker;

import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.worker.fleet.ModelFleet;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference worker loop: one thread owns the consumer, the transactional producer and the
 * waiting requests; a second thread runs the model, one flush at a time, in the manner of the
 * LMAX Disruptor's batch processor.
 *
 * <p>Words, each with one meaning here: consumed requests <em>wait</em> in the
 * {@link dev.sluice.worker.flush.FlushBuffer} until a <em>flush</em> is due
 * ({@link WorkerConfig#FLUSH_MAX_RECORDS} wait, or the oldest has waited
 * {@link WorkerConfig#BATCH_MAX_DELAY_MS}); a flush is everything drained at once, answered and
 * committed as one transaction. A flush is cut into <em>batches</em>
 * ({@link dev.sluice.worker.flush.BatchCutter}): one model version's requests each, at most
 * {@link WorkerConfig#FLUSH_MAX_RECORDS} of them, handed to its runner in one call (the batch of
 * the {@code batch_size} fields, the BATCH metric events and {@value WorkerMetrics#BATCH_SIZE}).
 * The runtime runs a batch as <em>model calls</em> of at most {@code worker.model.sub.batch.size}
 * rows, one padded tensor each.
 *
 * <p>Each turn ({@link WorkerLoop}): swap in loaded model versions between flushes, poll for no
 * longer than the oldest waiting request may still wait, decode into the flush buffer, pause every
 * partition while {@link WorkerConfig#inflightMax()} requests wait or are in the model and resume
 * below it, and, once a flush is due and no waiting request's version is still loading
 * ({@link LoadHold}), drain everything and hand it to the inference thread, which answers it
 * ({@link RequestAnswerer}: dead letters, ERROR and EXPIRED results without inference, batches
 * bucketed by length and bisected on failure, results and metric events encoded). When a flush is
 * answered the loop starts the next one and then commits the answered flush's results, metric
 * events, dead letters and consumed offsets in one transaction ({@link CommitPipeline},
 * {@link TransactionalCommitter}), so the model works while Kafka round trips happen. Within a
 * partition every flush's records follow the previous flush's, so each commit moves the offsets
 * over one contiguous run. An aborted transaction drops the answered flush, the flush in the model
 * and everything waiting, and rewinds the consumer to the first of their offsets in each partition
 * ({@link AbortRecovery}), so those records are read and answered again: nothing lost, nothing
 * duplicated for read_committed readers. Too many aborts in a row, or a fatal failure, end the loop
 * with a {@link WorkerFailure}.
 *
 * <p>Rebalances happen only inside {@code poll}, on the loop's thread ({@link LoopRebalancing}): on
 * revocation the flush in the model is awaited and committed first (the consumer still owns its
 * partitions in the callback); lost partitions cannot be committed for, so that flush is dropped
 * and the remaining partitions rewound. Requests still waiting for revoked or lost partitions are
 * dropped, uncommitted, and their new owner reads them from the last commit.
 *
 * <p>The loop subscribes only once the fleet serves a version, so a model that fails to load
 * consumes nothing. {@link #close()} (SIGTERM) stops polling, answers and commits what waits when
 * it can, and closes the clients within {@link WorkerConfig#shutdownTimeout()}.
 */
public final class InferenceWorker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);

  private enum State { NEW, RUNNING, STOPPING, STOPPED, FAILED }

  /** How long a failed loop gives its clients to close: it has nothing left to finish. */
  static final Duration FAILURE_CLOSE = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final ModelFleet fleet;
  private final WorkerLoop loop;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile State state = State.NEW;
  private volatile Throwable failure;
  private Thread thread;

  /**
   * Creates a worker; {@link #start()} runs it on its own thread.
   *
   * @param config the worker configuration
   * @param clients the consumer and producer, owned (and closed) by the worker from now on
   * @param fleet the model versions
   * @param registry the schema registry, for reading requests and writing outputs
   * @param environment clock, meters and backoff
   */
  public InferenceWorker(WorkerConfig config, WorkerClients clients, ModelFleet fleet, SchemaRegistryClient registry,
      WorkerEnvironment environment) {
    this.config = config;
    this.fleet = fleet;
    this.loop = new WorkerLoop(config, clients, fleet, registry, environment);
  }

  /** Runs the loop on a new thread named after the model. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("The worker is already started");
    }
    thread = new Thread(this, "sluice-worker-" + config.model() + "-" + config.workerId());
    thread.start();
  }

  /** The loop: initialize, turn until asked to stop, finish what waits, close the clients. */
  @Override
  public void run() {
    try {
      initialize();
      while (!loop.stopRequested()) {
        loop.runOnce();
      }
      state = State.STOPPING;
      loop.finish();
      state = State.STOPPED;
    } catch (RuntimeException | Error e) {
      failure = e;
      state = State.FAILED;
      if (e instanceof WorkerFailure && e.getCause() == null) {
        LOG.error("The inference worker of model {} stopped: {}", config.model(), e.getMessage());
      } else {
        LOG.error("The inference worker of model {} stopped on a failure", config.model(), e);
      }
      loop.requestStop(FAILURE_CLOSE);
    } finally {
      loop.closeClients();
      finished.countDown();
    }
  }

  /** Initializes the transactional producer; the loop's first step. */
  void initialize() {
    loop.initialize();
    state = State.RUNNING;
  }

  /** One turn of the loop, for tests that step it on their own thread. */
  void runOnce() {
    loop.runOnce();
  }

  /** Asks the loop to stop and waits up to {@link WorkerConfig#shutdownTimeout()}. */
  @Override
  public void close() {
    close(config.shutdownTimeout());
  }

  /**
   * Asks the loop to stop (it polls no more, answers and commits what waits, closes its clients)
   * and waits up to the timeout. Without a started thread, closes the clients at once.
   *
   * @return whether the loop ended within the timeout
   */
  public boolean close(Duration timeout) {
    if (finished.getCount() == 0) {
      return true;
    }
    loop.requestStop(timeout);
    synchronized (this) {
      if (thread == null) {
        loop.closeClients();
        state = state == State.FAILED ? State.FAILED : State.STOPPED;
        finished.countDown();
        return true;
      }
    }
    try {
      return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits for the loop to end; returns whether it ended within the timeout. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the loop ended, if it ended on a failure. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** True while the loop runs or is stopping: for /health/live. */
  public boolean isLive() {
    State now = state;
    return now == State.RUNNING || now == State.STOPPING;
  }

  /**
   * Ready when the loop runs, a model version serves and partitions are assigned: for /health/ready;
   * degraded (still ready) while no endpoint of a remote version answers.
   */
  public Readiness readiness() {
    State now = state;
    if (now == State.FAILED) {
      return new Readiness(false, "failed: " + failure);
    }
    if (now != State.RUNNING || loop.stopRequested()) {
      return new Readiness(false, now == State.NEW ? "starting" : "stopping");
    }
    Optional<String> notServing = fleet.notServingReason();
    if (notServing.isPresent()) {
      return new Readiness(false, notServing.get());
    }
    int partitions = loop.assignedPartitions();
    if (partitions == 0) {
      return new Readiness(false, "no partition of " + config.inferenceTopic() + " assigned");
    }
    Readiness ready = new Readiness(true, "serving model " + config.model() + " versions " + fleet.activeVersions() + " on "
        + partitions + " partitions of " + config.inferenceTopic());
    return loop.unanswered().map(ready::degraded).orElse(ready);
  }

  /** True when every deployed version of the model failed to load: readiness will not come by itself. */
  public boolean modelLoadFailed() {
    return fleet.everyLoadFailed();
  }

  /** Requests consumed and waiting for a flush. */
  public int queueDepth() {
    return loop.queueDepth();
  }
}
