package dev.sluice.worker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one flush atomically: its results, metric events and dead letters together with the
 * consumed offsets ({@code sendOffsetsToTransaction} with the consumer's current group metadata,
 * so a worker that has left the group cannot commit for partitions it no longer owns).
 *
 * <p>Inference happens before the transaction begins, so a transaction stays open only for the
 * sends and the commit and holds read_committed consumers back as little as possible.
 *
 * <p>A {@link TimeoutException} from {@code initTransactions}, {@code commitTransaction} or
 * {@code abortTransaction} leaves the outcome pending, and Kafka's contract is to call the same
 * method again: that is retried in place with backoff, and a commit still undecided after the
 * last attempt stops the worker (the restarted worker's {@code initTransactions} settles it). A
 * {@link KafkaFailures.Kind#TRANSIENT} failure anywhere else aborts the transaction and is
 * returned, so the caller rewinds; a {@link KafkaFailures.Kind#FATAL} one stops the worker.
 */
final class TransactionalCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalCommitter.class);

  private final Producer<byte[], byte[]> producer;
  private final Consumer<byte[], byte[]> consumer;
  private final RetryPolicy retry;
  private final Sleeper sleeper;

  TransactionalCommitter(WorkerClients clients, RetryPolicy retry, Sleeper sleeper) {
    this.producer = clients.producer();
    this.consumer = clients.consumer();
    this.retry = retry;
    this.sleeper = sleeper;
  }

  /** Registers the transactional id, fencing earlier instances and settling their open transaction. */
  void initialize() {
    try {
      retryTimeouts("initTransactions", producer::initTransactions);
    } catch (RuntimeException e) {
      throw fatalOrRethrow("Could not initialize the transactional producer", e);
    }
  }

  /**
   * Sends the records and offsets in one transaction and commits it.
   *
   * @return empty when committed; the failure when the transaction was aborted and the caller
   *     must rewind to the offsets it had before these records
   * @throws WorkerFailure on a fatal failure, or a commit whose outcome stayed unknown
   */
  Optional<RuntimeException> commit(List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      producer.beginTransaction();
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record);
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
    } catch (RuntimeException e) {
      return abort(e);
    }
    try {
      retryTimeouts("commitTransaction", producer::commitTransaction);
      return Optional.empty();
    } catch (WorkerFailure e) {
      throw e;
    } catch (RuntimeException e) {
      return abort(e);
    }
  }

  private Optional<RuntimeException> abort(RuntimeException failure) {
    if (KafkaFailures.classify(failure) == KafkaFailures.Kind.FATAL) {
      throw fatalOrRethrow("The transaction failed fatally", failure);
    }
    LOG.warn("Aborting the transaction after a transient failure: {}", failure.toString());
    try {
      retryTimeouts("abortTransaction", producer::abortTransaction);
    } catch (WorkerFailure e) {
      throw e;
    } catch (RuntimeException e) {
      e.addSuppressed(failure);
      throw fatalOrRethrow("Could not abort the transaction", e);
    }
    return Optional.of(failure);
  }

  private void retryTimeouts(String call, Runnable action) {
    for (int attempt = 1; ; attempt++) {
      try {
        action.run();
        return;
      } catch (TimeoutException e) {
        if (!retry.allowsAnother(attempt)) {
          throw new WorkerFailure(call + " timed out " + attempt + " times; its outcome is unknown, so the worker stops"
              + " (a restarted worker with the same id settles the transaction)", e);
        }
        LOG.warn("{} timed out (attempt {} of {}); calling it again", call, attempt, retry.maxAttempts());
        pause(retry.delayAfter(attempt));
      }
    }
  }

  private void pause(java.time.Duration delay) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailure("Interrupted while backing off", e);
    }
  }

  private static RuntimeException fatalOrRethrow(String what, RuntimeException failure) {
    if (failure instanceof WorkerFailure) {
      return failure;
    }
    if (KafkaFailures.classify(failure) == KafkaFailures.Kind.FATAL) {
      return new WorkerFailure(what + ": " + failure, failure);
    }
    return new WorkerFailure(what + " (transient, but not where a retry can help): " + failure, failure);
  }
}
