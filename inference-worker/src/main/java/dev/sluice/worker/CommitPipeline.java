package dev.sluice.worker;

import dev.sluice.worker.flush.FlushPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelined commit of the worker loop: at most one flush is in flight (in the model, or
 * answered and not yet committed). Once it is answered the next flush starts and only then is the
 * answered one committed ({@link TransactionalCommitter}), so the model works on flush n+1 while
 * flush n's transaction commits. A flush no endpoint could answer ({@link FlushUnanswered}) is
 * rewound like an aborted one, without a transaction. Within a partition every flush's records follow the previous
 * flush's, so each commit moves the offsets over one contiguous run. An aborted commit drops the
 * answered flush, the flush behind it and everything waiting, and rewinds ({@link AbortRecovery}).
 * On the loop's thread.
 */
final class CommitPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);

  /** Where the pipeline takes its next flush from. */
  interface Flushes {
    /** A flush was answered: model versions may be swapped in before the next one starts. */
    void betweenFlushes();

    /** The next flush to answer when one is due and may start now, else empty. */
    Optional<List<PolledRecord>> next();
  }

  private final AnsweringLane lane;
  private final TransactionalCommitter committer;
  private final WorkerMetrics metrics;
  private final FlushPlanner planner;
  private final AbortRecovery recovery;
  /** The flush being answered, or answered and not yet committed; at most one. */
  private AnsweringLane.Flight inFlight;

  CommitPipeline(AnsweringLane lane, TransactionalCommitter committer, WorkerMetrics metrics, FlushPlanner planner, AbortRecovery recovery) {
    this.lane = lane;
    this.committer = committer;
    this.metrics = metrics;
    this.planner = planner;
    this.recovery = recovery;
  }

  /** Whether a flush is in flight. */
  boolean busy() {
    return inFlight != null;
  }

  /** Records of the flush in flight, none when idle. */
  int recordsInFlight() {
    return inFlight == null ? 0 : inFlight.flush().size();
  }

  /**
   * Moves the pipeline on: while the flush in flight is answered (or none is), starts the next
   * flush when one is due and then commits the answered one.
   */
  void advance(Flushes flushes) {
    while (inFlight == null || inFlight.done()) {
      AnsweringLane.Flight answered = inFlight;
      inFlight = null;
      if (answered != null) {
        flushes.betweenFlushes();
      }
      flushes.next().ifPresent(next -> inFlight = lane.start(next));
      if (answered != null) {
        commit(answered, true);
      }
      if (inFlight == null) {
        return;
      }
    }
  }

  /** Before partitions are revoked: the flush in flight commits while the consumer still owns them. */
  void commitBeforeRevocation() {
    if (inFlight != null) {
      commit(takeInFlight(), true);
    }
  }

  /** Partitions were lost: a commit would be fenced, so the flush in flight is dropped and the rest rewound. */
  void dropAfterLoss() {
    if (inFlight != null) {
      recovery.rewind(dropInFlight());
    }
  }

  /**
   * At shutdown: commits the flush in flight, if any, without retrying an abort.
   *
   * @return false when its transaction aborted (what waits is then left to the next owner)
   */
  boolean commitInFlightAtShutdown() {
    return inFlight == null || commit(takeInFlight(), false);
  }

  /** At shutdown: answers a last flush and commits it, without retrying an abort. */
  void commitLastFlush(List<PolledRecord> flush) {
    commit(lane.start(flush), false);
  }

  /** Interrupts a flush still being answered and waits up to the timeout for the lane to end. */
  void shutdown(Duration timeout) {
    lane.shutdown(timeout);
  }

  /**
   * Commits an answered flush with its offsets. On an abort, with {@code retryOnAbort}, rewinds:
   * the flush, the one in flight behind it and everything waiting are dropped, to be read and
   * answered again.
   *
   * @return whether the flush committed
   */
  private boolean commit(AnsweringLane.Flight flight, boolean retryOnAbort) {
    RequestAnswerer.Answers answers;
    try {
      answers = lane.answers(flight);
    } catch (FlushUnanswered e) {
      if (!retryOnAbort) {
        LOG.warn("The last flush before shutdown could not be answered; its {} requests are left to the next owner: {}", flight.flush().size(),
            e.getMessage());
        return false;
      }
      List<PolledRecord> unanswered = new ArrayList<>(flight.flush());
      unanswered.addAll(dropInFlight());
      recovery.unanswered(unanswered, e);
      return false;
    }
    long commitStart = System.nanoTime();
    Optional<RuntimeException> aborted;
    try {
      aborted = committer.commit(answers.records(), ConsumedOffsets.toCommit(flight.flush()));
    } catch (RuntimeException | Error e) {
      RequestSpans.ended(answers.produced(), false); // a fatal commit failure ends the produce spans as failed, not never
      throw e;
    }
    RequestSpans.ended(answers.produced(), aborted.isEmpty());
    if (aborted.isEmpty()) {
      planner.answered(flight.flush().size(), answers.modelNanos(), System.nanoTime() - commitStart);
      metrics.committed(answers);
      recovery.committed();
      return true;
    }
    metrics.aborted();
    if (!retryOnAbort) {
      LOG.warn("The last transaction before shutdown aborted; its {} requests are left to the next owner", flight.flush().size());
      return false;
    }
    List<PolledRecord> uncommitted = new ArrayList<>(flight.flush());
    uncommitted.addAll(dropInFlight());
    recovery.aborted(uncommitted, aborted.get());
    return false;
  }

  private AnsweringLane.Flight takeInFlight() {
    AnsweringLane.Flight flight = inFlight;
    inFlight = null;
    return flight;
  }

  /** Waits for the flush in flight to finish and forgets its answers; returns its records. */
  private List<PolledRecord> dropInFlight() {
    if (inFlight == null) {
      return List.of();
    }
    AnsweringLane.Flight flight = takeInFlight();
    try {
      RequestSpans.ended(lane.answers(flight).produced(), false);
    } catch (FlushUnanswered e) {
      LOG.debug("The dropped flush behind was not answered either: {}", e.getMessage());
    }
    return flight.flush();
  }
}
