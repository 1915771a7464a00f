package dev.sluice.topology.ingress;

import dev.sluice.platform.TransientFailures;
import dev.sluice.schemas.registry.SchemaRegistryException;
import org.apache.kafka.common.KafkaException;

/**
 * Tells transient infrastructure failures from bugs, for the uncaught-exception handler and the
 * deserialization handler. A failure is {@link Kind#TRANSIENT} when {@link TransientFailures}
 * says so: it, or any cause in its chain (Kafka Streams wraps processor failures in
 * {@code StreamsException}s), is a Kafka {@code RetriableException} (timeouts, unavailable
 * leaders, coordinator moves, ...), a {@link java.util.concurrent.TimeoutException}, or a schema
 * registry outage. Anything else is {@link Kind#FATAL}: a bug or a misconfiguration that a restart
 * will not cure.
 */
public final class FailureClassifier {

  /** The two classes of failure. */
  public enum Kind {
    /** Infrastructure that may recover: retry a bounded number of times. */
    TRANSIENT,
    /** A bug or misconfiguration: stop loudly. */
    FATAL
  }

  private FailureClassifier() {}

  /**
   * Classifies a failure by its cause chain.
   *
   * @param failure what was thrown
   * @return {@link Kind#TRANSIENT} when any link in the chain is transient, else {@link Kind#FATAL}
   */
  public static Kind classify(Throwable failure) {
    return TransientFailures.isTransient(failure) ? Kind.TRANSIENT : Kind.FATAL;
  }

  /**
   * Whether a failure thrown while one record went through the request path belongs to that
   * record: an unchecked exception from the path's own logic (a bug met by the record's content,
   * an arithmetic overflow, ...), which the processor dead-letters so the partition moves on. Kafka
   * and Kafka Streams exceptions (a fenced producer, a migrated task, a closed store), registry
   * failures, transient failures and Errors are not: they concern the component, and propagate.
   *
   * @param failure what was thrown
   * @return true when the record, not the component, is at fault
   */
  public static boolean isRecordFault(RuntimeException failure) {
    return classify(failure) == Kind.FATAL
        && !(failure instanceof KafkaException)
        && !(failure instanceof SchemaRegistryException);
  }
}
