package dev.sluice.worker;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.RecordBudget;
import dev.sluice.worker.batch.MicroBatcher;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.fleet.VersionLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * assigned-partition count and the queue depth); {@link InferenceWorker} runs it and explains
 * the design.
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
  private final Sleeper sleeper;
  private final MicroBatcher<Inbound> batcher;
  private final RequestDecoder decoder;
  private final RequestAnswerer answerer;
  private final TransactionalCommitter committer;
  private final WorkerMetrics metrics;
  private final AnsweringLane lane;
  private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean clientsClosed = new AtomicBoolean();
  private volatile boolean stopRequested;
  private volatile Instant stopDeadline;
  private boolean subscribed;
  private int abortsInARow;
  private String holding;
  /** The drained set being answered, or answered and not yet committed; at most one. */
  private AnsweringLane.Flight inFlight;


  WorkerLoop(WorkerConfig config, WorkerClients clients, ModelFleet fleet, SchemaRegistryClient registry, WorkerEnvironment environment) {
    this.config = config;
    this.consumer = clients.consumer();
    this.producer = clients.producer();
    this.fleet = fleet;
    this.clock = environment.clock();
    this.sleeper = environment.sleeper();
    this.batcher = new MicroBatcher<>(config.batching(), clock,
        inbound -> inbound instanceof Inbound.Request request ? request.length() : 0,
        inbound -> inbound instanceof Inbound.Request request ? request.version() : "");
    this.decoder = new RequestDecoder(new AvroDeserializer<>(PreparedRequest.class, registry), config.retry(), sleeper);
    this.answerer = new RequestAnswerer(config.model(), fleet, batcher,
        new OutputRecords(config.topics(), config.workerId(), new AvroSerializer<>(registry), RecordBudget.of(config.producerProperties())),
        clock);
    this.committer = new TransactionalCommitter(clients, config.retry(), sleeper);
    this.metrics = new WorkerMetrics(environment.meters(), config.model(), batcher::size);
    this.lane = new AnsweringLane(answerer, consumer::wakeup,
        environment.inferenceThread() ? "sluice-inference-" + config.model() + "-" + config.workerId() : null);
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
    if (inFlight == null) {
      fleet.applyChanges(this::drained);
    }
    if (!subscribed && !subscribe()) {
      return;
    }
    ConsumerRecords<byte[], byte[]> polled = poll();
    Instant now = clock.instant();
    for (ConsumerRecord<byte[], byte[]> record : polled) {
      batcher.add(decoder.decode(record, now));
    }
    applyBackpressure();
    advance();
    applyBackpressure();
  }

  /**
   * Moves the pipeline on: once the set in flight is answered, swaps in loaded versions, starts
   * the next set when a flush is due and then commits the answered one, so the model works on
   * set n+1 while set n's transaction commits. The next set's records all follow the answered
   * set's in their partitions; an aborted commit discards both and rewinds.
   */
  private void advance() {
    while (inFlight == null || inFlight.done()) {
      AnsweringLane.Flight answered = inFlight;
      inFlight = null;
      if (answered != null) {
        fleet.applyChanges(this::drained);
      }
      if (batcher.isReady() && !holding()) {
        inFlight = lane.start(batcher.drainAll());
      }
      if (answered != null) {
        commit(answered, true);
      }
      if (inFlight == null) {
        return;
      }
    }
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
    return assigned.size();
  }

  /** Requests waiting for a batch; any thread. */
  int queueDepth() {
    return batcher.size();
  }

  private boolean subscribe() {
    if (!fleet.hasActive()) {
      try {
        fleet.awaitChange(IDLE_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkerFailure("Interrupted while waiting for a model to load", e);
      }
      return false;
    }
    consumer.subscribe(List.of(config.inferenceTopic()), new LoopRebalancing(this));
    subscribed = true;
    LOG.info("Model {} versions {} loaded; consuming {} in group {}", config.model(), fleet.activeVersions(), config.inferenceTopic(), config.groupId());
    return true;
  }

  /** Polls; the inference thread wakes it when a set is answered, {@link #requestStop} when stopping. */
  private ConsumerRecords<byte[], byte[]> poll() {
    // While a set is in the model nothing can flush before it is done, and it wakes the poll.
    Duration timeout = inFlight != null ? IDLE_POLL
        : holding != null && !batcher.isEmpty() ? HOLD_POLL
        : batcher.untilReady().map(left -> left.compareTo(IDLE_POLL) < 0 ? left : IDLE_POLL).orElse(IDLE_POLL);
    try {
      return consumer.poll(timeout);
    } catch (WakeupException e) {
      return ConsumerRecords.empty();
    }
  }

  /** Pauses every partition while the waiting and in-flight requests reach the bound, resumes below it. */
  private void applyBackpressure() {
    int held = batcher.size() + (inFlight == null ? 0 : inFlight.drained().size());
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

  /** Whether a flush must wait because a waiting request's version is still loading or being looked up. */
  private boolean holding() {
    String reason = null;
    for (String version : waitingVersions()) {
      if (fleet.lookup(version) instanceof VersionLookup.Pending pending) {
        reason = pending.reason();
        break;
      }
    }
    if (reason != null && !reason.equals(holding)) {
      LOG.info("Holding {} waiting requests: {}", batcher.size(), reason);
    }
    holding = reason;
    return reason != null;
  }

  private Set<String> waitingVersions() {
    Set<String> versions = new HashSet<>();
    for (Inbound inbound : batcher.peekAll()) {
      if (inbound instanceof Inbound.Request request) {
        versions.add(request.version());
      }
    }
    return versions;
  }

  private boolean drained(String version) {
    return !waitingVersions().contains(version);
  }

  /**
   * Commits an answered set with its offsets. On an abort, rewinds: the set, the one in flight
   * behind it and everything waiting are dropped and each partition sought back to the first of
   * their offsets, to be read and answered again.
   *
   * @return whether the set committed
   */
  private boolean commit(AnsweringLane.Flight flight, boolean retryOnAbort) {
    RequestAnswerer.Answers answers = lane.answers(flight);
    Optional<RuntimeException> aborted = committer.commit(answers.records(), ConsumedOffsets.toCommit(flight.drained()));
    if (aborted.isEmpty()) {
      metrics.committed(answers);
      abortsInARow = 0;
      return true;
    }
    metrics.aborted();
    if (!retryOnAbort) {
      LOG.warn("The last transaction before shutdown aborted; its {} requests are left to the next owner", flight.drained().size());
      return false;
    }
    rewind(flight.drained());
    abortsInARow++;
    if (!config.retry().allowsAnother(abortsInARow)) {
      throw new WorkerFailure(abortsInARow + " transactions aborted in a row", aborted.get());
    }
    try {
      sleeper.sleep(config.retry().delayAfter(abortsInARow));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailure("Interrupted while backing off", e);
    }
    return false;
  }

  /** Drops the uncommitted set, the one in flight and everything waiting; seeks back to their first offsets. */
  private void rewind(List<Inbound> uncommitted) {
    List<Inbound> dropped = new ArrayList<>(uncommitted);
    dropped.addAll(dropInFlight());
    dropped.addAll(batcher.drainAll());
    ConsumedOffsets.firstOffsets(dropped).forEach((partition, offset) -> {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, offset);
      }
    });
  }

  /** Waits for the set in flight to finish and forgets its answers; returns its records. */
  private List<Inbound> dropInFlight() {
    if (inFlight == null) {
      return List.of();
    }
    AnsweringLane.Flight flight = inFlight;
    inFlight = null;
    lane.answers(flight);
    return flight.drained();
  }

  /** Graceful end: answer and commit what waits, unless a version it needs is still loading. */
  void finish() {
    if (inFlight != null) {
      AnsweringLane.Flight flight = inFlight;
      inFlight = null;
      if (!commit(flight, false)) {
        LOG.info("Stopping: leaving {} waiting requests to the next owner", batcher.drainAll().size());
        return;
      }
    }
    if (batcher.isEmpty()) {
      return;
    }
    if (subscribed && !holding()) {
      LOG.info("Stopping: answering the {} waiting requests", batcher.size());
      commit(lane.start(batcher.drainAll()), false);
    } else {
      LOG.info("Stopping: leaving {} waiting requests to the next owner ({})", batcher.drainAll().size(), holding);
    }
  }

  /** Closes the consumer (leaving the group) and the producer, within the stop deadline; once. */
  void closeClients() {
    if (!clientsClosed.compareAndSet(false, true)) {
      return;
    }
    Instant deadline = stopDeadline != null ? stopDeadline : clock.instant().plus(config.shutdownTimeout());
    lane.shutdown(remaining(deadline));
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

  /** Before partitions are revoked: the set in flight commits while the consumer still owns them. */
  void beforeRevocation() {
    if (inFlight != null) {
      AnsweringLane.Flight flight = inFlight;
      inFlight = null;
      commit(flight, true);
    }
  }

  /** Partitions were lost: a commit would be fenced, so the set in flight is dropped and the rest rewound. */
  void afterLoss() {
    if (inFlight != null) {
      rewind(List.of());
    }
  }

  /** Drops waiting requests of partitions taken away; they were never answered nor committed. */
  void forget(Collection<TopicPartition> partitions, String how) {
    Set<TopicPartition> gone = Set.copyOf(partitions);
    int dropped = batcher.removeIf(inbound -> gone.contains(inbound.partition()));
    assigned.removeAll(gone);
    LOG.info("Partitions {} {}; {} waiting requests left to their next owner", gone, how, dropped);
  }

  void assignedNow(Collection<TopicPartition> partitions) {
    assigned.addAll(partitions);
    LOG.info("Assigned {}", partitions);
  }
}
