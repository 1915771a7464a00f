package dev.sluice.worker;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.RecordBudget;
import dev.sluice.worker.flush.BatchCutter;
import dev.sluice.worker.flush.FlushBuffer;
import dev.sluice.worker.flush.FlushPlanner;
import dev.sluice.worker.fleet.ModelFleet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turns of the worker loop, on the loop's thread only (except {@link #requestStop}, the
 * assigned-partition count and the queue depth): subscribing once a version serves, polling,
 * decoding into the {@link FlushBuffer}, backpressure, and the graceful end. The pipelined commit
 * of flushes and its rewinds are the {@link CommitPipeline}'s, holding a flush for loading versions
 * the {@link LoadHold}'s, rebalances the {@link LoopRebalancing}'s. {@link InferenceWorker} runs
 * it and explains the design.
 */
final class WorkerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final Duration HOLD_POLL = Duration.ofMillis(20);

  private final WorkerConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final ModelFleet fleet;
  private final Clock clock;
  private final FlushBuffer<PolledRecord> waiting;
  private final FlushPlanner planner;
  private final RequestDecoder decoder;
  private final TransactionalCommitter committer;
  private final LoadHold hold;
  private final CommitPipeline pipeline;
  private final AbortRecovery recovery;
  private final LoopRebalancing rebalancing;
  private final AtomicBoolean clientsClosed = new AtomicBoolean();
  private volatile boolean stopRequested;
  private volatile Instant stopDeadline;
  private boolean subscribed;
  private boolean waitLogged;
  /** Where the pipeline takes its flushes from. */
  private final CommitPipeline.Flushes flushes = new CommitPipeline.Flushes() {
    /** Swaps in loaded versions and closes drained removed ones. */
    @Override
    public void betweenFlushes() {
      fleet.applyChanges(hold::drained);
    }

    /** What the planner takes of the waiting, once a flush is due and no waiting request's version is still loading. */
    @Override
    public Optional<List<PolledRecord>> next() {
      boolean due = planner.untilDue(waiting).map(Duration::isZero).orElse(false);
      return due && !hold.holds() ? Optional.of(waiting.drainOldest(planner.flushSize(waiting))) : Optional.empty();
    }
  };

  WorkerLoop(WorkerConfig config, WorkerClients clients, ModelFleet fleet, SchemaRegistryClient registry, WorkerEnvironment environment) {
    this.config = config;
    this.consumer = clients.consumer();
    this.producer = clients.producer();
    this.fleet = fleet;
    this.clock = environment.clock();
    this.waiting = new FlushBuffer<>(config.flushPolicy(), clock);
    this.planner = FlushPlanner.of(config.flushPolicy(), clock);
    ReplyPartitions replies = new ReplyPartitions(config.topics().replies(), timeout -> consumer.partitionsFor(config.topics().replies(), timeout),
        clock);
    this.decoder = new RequestDecoder(new AvroDeserializer<>(PreparedRequest.class, registry), replies, config.retry(), environment.sleeper());
    this.committer = new TransactionalCommitter(clients, config.retry(), environment.sleeper());
    this.hold = new LoadHold(fleet, waiting);
    BatchCutter<PolledRecord.Request> cutter = new BatchCutter<>(config.flushPolicy(), PolledRecord.Request::length,
        PolledRecord.Request::version);
    RequestAnswerer answerer = new RequestAnswerer(config.model(), fleet, cutter,
        new OutputRecords(config.topics(), config.workerId(), new AvroSerializer<>(registry), RecordBudget.of(config.producerProperties())),
        environment);
    AnsweringLane lane = new AnsweringLane(answerer, consumer::wakeup,
        environment.inferenceThread() ? "sluice-inference-" + config.model() + "-" + config.workerId() : null);
    WorkerMetrics metrics = new WorkerMetrics(config.model(), waiting::size);
    metrics.bindTo(environment.meters());
    this.recovery = new AbortRecovery(consumer, waiting, config.retry(), environment.sleeper());
    this.pipeline = new CommitPipeline(lane, committer, metrics, planner, recovery);
    this.rebalancing = new LoopRebalancing(pipeline, waiting);
  }

  /** Initializes the transactional producer (fencing an earlier instance with this worker id). */
  void initialize() {
    committer.initialize();
    LOG.info("Worker {} of model {} started (transactional id {})", config.workerId(), config.model(), config.transactionalId());
  }

  /** One turn of the loop. */
  void runOnce() {
    Optional<Throwable> feedFailure = fleet.failure();
    if (feedFailure.isPresent()) {
      throw new WorkerFailure("The model registry reader failed", feedFailure.get());
    }
    if (!pipeline.busy()) {
      fleet.applyChanges(hold::drained);
    }
    if (!subscribed && !subscribe()) {
      return;
    }
    ConsumerRecords<byte[], byte[]> polled = poll();
    if (!polled.isEmpty()) {
      planner.arrived(polled.count());
    }
    Instant now = clock.instant();
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      waiting.add(decoder.decode(record, now));
    }
    applyBackpressure();
    pipeline.advance(flushes);
    applyBackpressure();
  }

  /** Asks the loop to stop within the timeout: it polls no more and {@link #finish}es. Any thread. */
  void requestStop(Duration timeout) {
    stopDeadline = clock.instant().plus(timeout);
    stopRequested = true;
    consumer.wakeup();
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /** Partitions assigned now; any thread. */
  int assignedPartitions() {
    return rebalancing.assignedPartitions();
  }

  /** Why flushes go unanswered now (no endpoint of a version answers), empty while they are answered; any thread. */
  Optional<String> unanswered() {
    return recovery.unanswered();
  }

  /** Requests waiting for a flush; any thread. */
  int queueDepth() {
    return waiting.size();
  }

  private boolean subscribe() {
    if (!fleet.hasActive()) {
      if (fleet.nothingDeployed()) {
        if (!config.waitForModel()) {
          throw new WorkerFailure("No version of model " + config.model() + " is deployed on " + config.topics().models()
              + ": deploy one (./sluice models deploy --model " + config.model() + " ...), or start the worker with --wait-for-model ("
              + WorkerConfig.WAIT_FOR_MODEL + "=true) to wait for one", null);
        }
        if (!waitLogged) {
          waitLogged = true;
          LOG.info("No version of model {} is deployed on {} yet; waiting for one", config.model(), config.topics().models());
        }
      }
      try {
        fleet.awaitChange(IDLE_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkerFailure("Interrupted while waiting for a model to load", e);
      }
      return false;
    }
    consumer.subscribe(List.of(config.inferenceTopic()), rebalancing);
    subscribed = true;
    LOG.info("Model {} versions {} loaded; consuming {} in group {}", config.model(), fleet.activeVersions(), config.inferenceTopic(), config.groupId());
    return true;
  }

  /** Polls; the inference thread wakes it when a flush is answered, {@link #requestStop} when stopping. */
  private ConsumerRecords<byte[], byte[]> poll() {
    // While a flush is in the model no other can start before it is done, and it wakes the poll.
    Duration timeout = pipeline.busy() ? IDLE_POLL
        : hold.reason() != null && !waiting.isEmpty() ? HOLD_POLL
        : planner.untilDue(waiting).map(left -> left.compareTo(IDLE_POLL) < 0 ? left : IDLE_POLL).orElse(IDLE_POLL);
    try {
      return consumer.poll(timeout);
    } catch (WakeupException e) {
      return ConsumerRecords.empty();
    }
  }

  /** Pauses every partition while the waiting and in-flight requests reach the bound, resumes below it. */
  private void applyBackpressure() {
    int held = waiting.size() + pipeline.recordsInFlight();
    if (held >= config.inflightMax()) {
      Set<TopicPartition> running = new HashSet<>(consumer.assignment());
      running.removeAll(consumer.paused());
      if (!running.isEmpty()) {
        consumer.pause(running);
        LOG.debug("{} requests waiting or in flight; paused {}", held, running);
      }
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  /** Graceful end: answer and commit what waits, unless a version it needs is still loading. */
  void finish() {
    if (!pipeline.commitInFlightAtShutdown()) {
      LOG.info("Stopping: leaving {} waiting requests to the next owner", waiting.drainAll().size());
      return;
    }
    if (waiting.isEmpty()) {
      return;
    }
    if (subscribed && !hold.holds()) {
      LOG.info("Stopping: answering the {} waiting requests", waiting.size());
      pipeline.commitLastFlush(waiting.drainAll());
    } else {
      LOG.info("Stopping: leaving {} waiting requests to the next owner ({})", waiting.drainAll().size(), hold.reason());
    }
  }

  /** Closes the consumer (leaving the group) and the producer, within the stop deadline; once. */
  void closeClients() {
    if (!clientsClosed.compareAndSet(false, true)) {
      return;
    }
    Instant deadline = stopDeadline != null ? stopDeadline : clock.instant().plus(config.shutdownTimeout());
    pipeline.shutdown(remaining(deadline));
    try {
      // Leave even as a static member: a stopped worker's partitions move at once, not after its session.
      consumer.close(CloseOptions.timeout(remaining(deadline))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } finally {
      producer.close(remaining(deadline));
    }
    LOG.info("Worker {} of model {} closed its Kafka clients", config.workerId(), config.model());
  }

  private Duration remaining(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
