package dev.sluice.worker;

import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients a worker loop owns and closes: both used on the loop's thread only.
 *
 * @param consumer the inference consumer: group member, read_committed, no auto-commit
 * @param producer the transactional producer (not yet initialized)
 */
public record WorkerClients(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
  public WorkerClients {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(producer, "producer");
  }
}
