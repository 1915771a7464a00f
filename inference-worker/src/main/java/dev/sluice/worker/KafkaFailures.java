package dev.sluice.worker;

import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;

/**
 * Tells failures of the consume-infer-produce cycle apart, by their cause chain.
 *
 * <ul>
 *   <li>{@link Kind#FATAL}: the producer is fenced or its epoch is stale (another instance with
 *       this transactional id, or the group moved on: {@code ProducerFencedException},
 *       {@code InvalidProducerEpochException}, {@code FencedInstanceIdException},
 *       {@code InvalidPidMappingException}), authorization, authentication or an unsupported
 *       broker version ({@code InvalidConfigurationException} and its kind), a broken sequence
 *       ({@code OutOfOrderSequenceException}), a schema registry that refuses (auth, an
 *       incompatible schema), a record of ours that cannot be serialized, and anything that is no
 *       Kafka or registry failure at all (a bug). The worker stops loudly.
 *   <li>{@link Kind#TRANSIENT}: any other Kafka failure (timeouts, an abortable transaction error,
 *       a commit refused after a rebalance) and registry outages: abort the transaction, rewind,
 *       and try again, a bounded number of times.
 * </ul>
 */
final class KafkaFailures {

  /** The two classes of failure. */
  enum Kind {
    /** Stop the worker. */
    FATAL,
    /** Abort, rewind, retry with backoff. */
    TRANSIENT
  }

  private static final int MAX_DEPTH = 32;

  private KafkaFailures() {}

  static Kind classify(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean transientRegistry = false;
    for (Throwable link = failure; link != null && seen.size() < MAX_DEPTH && seen.add(link); link = link.getCause()) {
      if (link instanceof SchemaRegistryUnavailableException || link instanceof SchemaRegistryServerException) {
        transientRegistry = true;
      } else if (isFatal(link)) {
        return Kind.FATAL;
      }
    }
    if (transientRegistry) {
      return Kind.TRANSIENT;
    }
    if (failure instanceof SerializationException) {
      return Kind.FATAL;
    }
    return failure instanceof KafkaException ? Kind.TRANSIENT : Kind.FATAL;
  }

  /**
   * Whether a failure met while answering one request belongs to that request: an unchecked
   * exception from the answering logic (a bug met by its content, an overflow) or an Avro datum
   * that cannot be written. The request then ends as a dead letter and its partition moves on.
   * A {@link WorkerFailure}, any other Kafka failure and every registry failure concern the
   * worker, and propagate.
   *
   * @param failure what was thrown
   * @return true when the request, not the worker, is at fault
   */
  static boolean isRecordFault(RuntimeException failure) {
    if (failure instanceof WorkerFailure) {
      return false;
    }
    Throwable link = failure;
    for (int depth = 0; link != null && depth < MAX_DEPTH; depth++, link = link.getCause()) {
      if (link instanceof SchemaRegistryException) {
        return false;
      }
    }
    return !(failure instanceof KafkaException) || failure instanceof SerializationException;
  }

  private static boolean isFatal(Throwable link) {
    return link instanceof ApplicationRecoverableException
        || link instanceof InvalidConfigurationException
        || link instanceof OutOfOrderSequenceException
        || link instanceof UnsupportedForMessageFormatException
        || link instanceof SchemaRegistryException;
  }
}
