package dev.sluice.worker;

import dev.sluice.worker.flush.FlushBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an aborted transaction (or a loss of partitions) costs the worker loop: every consumed
 * record not yet committed is dropped, those waiting included, and each partition still assigned
 * is sought back to the first of their offsets, to be read and answered again. Aborts in a row
 * back off by the retry policy and, past its last attempt, stop the worker. On the loop's thread.
 */
final class AbortRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(AbortRecovery.class);
  private final Consumer<byte[], byte[]> consumer;
  private final FlushBuffer<PolledRecord> waiting;
  private final RetryPolicy retry;
  private final Sleeper sleeper;
  private int abortsInARow;
  private int unansweredInARow;
  /** Why the last flush went unanswered, while no flush has committed since; read by other threads for health. */
  private volatile String unanswered;

  AbortRecovery(Consumer<byte[], byte[]> consumer, FlushBuffer<PolledRecord> waiting, RetryPolicy retry, Sleeper sleeper) {
    this.consumer = consumer;
    this.waiting = waiting;
    this.retry = retry;
    this.sleeper = sleeper;
  }

  /** A transaction committed: the count of aborts in a row starts again. */
  void committed() {
    abortsInARow = 0;
    unansweredInARow = 0;
    unanswered = null;
  }

  /**
   * A transaction aborted: rewinds over the uncommitted records and everything waiting, then backs
   * off.
   *
   * @throws WorkerFailure when the retry policy allows no further attempt
   */
  void aborted(List<PolledRecord> uncommitted, RuntimeException failure) {
    rewind(uncommitted);
    abortsInARow++;
    if (!retry.allowsAnother(abortsInARow)) {
      throw new WorkerFailure(abortsInARow + " transactions aborted in a row", failure);
    }
    try {
      sleeper.sleep(retry.delayAfter(abortsInARow));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailure("Interrupted while backing off", e);
    }
  }

  /**
   * A flush could not be answered (no endpoint of a version could): rewinds over it and everything
   * waiting, then pauses by the retry policy's backoff (its longest after as many in a row), never
   * giving up: the worker keeps its partitions and answers once an endpoint does, EXPIRED for the
   * requests whose deadline passes meanwhile. The log (a WARN at the first and every 100th in a row)
   * and the endpoints' metrics ({@code sluice.worker.endpoint.*}) say why.
   */
  void unanswered(List<PolledRecord> unanswered, FlushUnanswered failure) {
    rewind(unanswered);
    unansweredInARow++;
    this.unanswered = unansweredInARow + " flushes in a row unanswered: " + failure.getMessage();
    if (unansweredInARow == 1 || unansweredInARow % 100 == 0) {
      LOG.warn("{} flushes in a row could not be answered; reading them again: {}", unansweredInARow, failure.getMessage());
    }
    try {
      sleeper.sleep(retry.delayAfter(unansweredInARow));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailure("Interrupted while backing off", e);
    }
  }

  /** Why flushes go unanswered now (no endpoint answers), empty once one commits again; any thread. */
  Optional<String> unanswered() {
    return Optional.ofNullable(unanswered);
  }

  /** Drops the uncommitted records and everything waiting; seeks back to their first offsets. */
  void rewind(List<PolledRecord> uncommitted) {
    List<PolledRecord> dropped = new ArrayList<>(uncommitted);
    dropped.addAll(waiting.drainAll());
    ConsumedOffsets.firstOffsets(dropped).forEach((partition, offset) -> {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, offset);
      }
    });
  }
}
