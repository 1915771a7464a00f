package dev.sluice.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelined commit of the worker loop: at most one drained set is in flight (in the model, or
 * answered and not yet committed). Once it is answered the next set starts and only then is the
 * answered one committed ({@link TransactionalCommitter}), so the model works on set n+1 while set
 * n's transaction commits. Within a partition every set's records follow the previous set's, so
 * each commit moves the offsets over one contiguous run. An aborted commit drops the answered set,
 * the set behind it and everything waiting, and rewinds ({@link AbortRecovery}). On the loop's
 * thread.
 */
final class CommitPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);

  /** Where the pipeline takes its next set from. */
  interface Sets {
    /** A set was answered: model versions may be swapped in before the next one starts. */
    void betweenSets();

    /** The next set to answer when one is due and may start now, else empty. */
    Optional<List<PolledRecord>> next();
  }

  private final AnsweringLane lane;
  private final TransactionalCommitter committer;
  private final WorkerMetrics metrics;
  private final AbortRecovery recovery;
  /** The drained set being answered, or answered and not yet committed; at most one. */
  private AnsweringLane.Flight inFlight;

  CommitPipeline(AnsweringLane lane, TransactionalCommitter committer, WorkerMetrics metrics, AbortRecovery recovery) {
    this.lane = lane;
    this.committer = committer;
    this.metrics = metrics;
    this.recovery = recovery;
  }

  /** Whether a set is in flight. */
  boolean busy() {
    return inFlight != null;
  }

  /** Records of the set in flight, none when idle. */
  int recordsInFlight() {
    return inFlight == null ? 0 : inFlight.drained().size();
  }

  /**
   * Moves the pipeline on: while the set in flight is answered (or none is), starts the next set
   * when one is due and then commits the answered one.
   */
  void advance(Sets sets) {
    while (inFlight == null || inFlight.done()) {
      AnsweringLane.Flight answered = inFlight;
      inFlight = null;
      if (answered != null) {
        sets.betweenSets();
      }
      sets.next().ifPresent(next -> inFlight = lane.start(next));
      if (answered != null) {
        commit(answered, true);
      }
      if (inFlight == null) {
        return;
      }
    }
  }

  /** Before partitions are revoked: the set in flight commits while the consumer still owns them. */
  void commitBeforeRevocation() {
    if (inFlight != null) {
      commit(takeInFlight(), true);
    }
  }

  /** Partitions were lost: a commit would be fenced, so the set in flight is dropped and the rest rewound. */
  void dropAfterLoss() {
    if (inFlight != null) {
      recovery.rewind(dropInFlight());
    }
  }

  /**
   * At shutdown: commits the set in flight, if any, without retrying an abort.
   *
   * @return false when its transaction aborted (what waits is then left to the next owner)
   */
  boolean commitInFlightAtShutdown() {
    return inFlight == null || commit(takeInFlight(), false);
  }

  /** At shutdown: answers a last set and commits it, without retrying an abort. */
  void commitLastSet(List<PolledRecord> drained) {
    commit(lane.start(drained), false);
  }

  /** Interrupts a set still being answered and waits up to the timeout for the lane to end. */
  void shutdown(Duration timeout) {
    lane.shutdown(timeout);
  }

  /**
   * Commits an answered set with its offsets. On an abort, with {@code retryOnAbort}, rewinds: the
   * set, the one in flight behind it and everything waiting are dropped, to be read and answered
   * again.
   *
   * @return whether the set committed
   */
  private boolean commit(AnsweringLane.Flight flight, boolean retryOnAbort) {
    RequestAnswerer.Answers answers = lane.answers(flight);
    Optional<RuntimeException> aborted = committer.commit(answers.records(), ConsumedOffsets.toCommit(flight.drained()));
    if (aborted.isEmpty()) {
      metrics.committed(answers);
      recovery.committed();
      return true;
    }
    metrics.aborted();
    if (!retryOnAbort) {
      LOG.warn("The last transaction before shutdown aborted; its {} requests are left to the next owner", flight.drained().size());
      return false;
    }
    List<PolledRecord> uncommitted = new ArrayList<>(flight.drained());
    uncommitted.addAll(dropInFlight());
    recovery.aborted(uncommitted, aborted.get());
    return false;
  }

  private AnsweringLane.Flight takeInFlight() {
    AnsweringLane.Flight flight = inFlight;
    inFlight = null;
    return flight;
  }

  /** Waits for the set in flight to finish and forgets its answers; returns its records. */
  private List<PolledRecord> dropInFlight() {
    if (inFlight == null) {
      return List.of();
    }
    AnsweringLane.Flight flight = takeInFlight();
    lane.answers(flight);
    return flight.drained();
  }
}
