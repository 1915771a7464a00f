package dev.sluice.topology.ingress;

import dev.sluice.avro.RejectedRequest;
import dev.sluice.schemas.topics.Replies;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The ingress's copy of an outcome for a caller waiting on a reply partition ({@link Replies}): a
 * cached answer (already encoded), a dead letter (encoded here as on its own topic) or nothing
 * (a dropped duplicate). The sink's partitioner puts it on the partition the request named, or
 * drops it when the topic has no such partition, so a header can never fail a send.
 *
 * @param partition the partition the request named, never negative
 * @param value an {@link EncodedValue}, a {@link RejectedRequest}, or null for a duplicate
 */
record ReplyCopy(int partition, Object value) {

  /** The sink's value serializer: the outcome's bytes as on its own topic. */
  static final class ValueSerializer implements Serializer<ReplyCopy> {
    private final Serializer<Object> avro;
    private final String rejectedTopic;

    ValueSerializer(Serializer<Object> avro, String rejectedTopic) {
      this.avro = avro;
      this.rejectedTopic = rejectedTopic;
    }

    @Override
    public byte[] serialize(String topic, ReplyCopy copy) {
      if (copy == null || copy.value() == null) {
        return null;
      }
      return copy.value() instanceof EncodedValue encoded ? encoded.bytes() : avro.serialize(rejectedTopic, copy.value());
    }
  }

  /** The sink's partitioner: the named partition when the topic has it, else the copy is dropped. */
  static final class Partitioner implements StreamPartitioner<byte[], ReplyCopy> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, ReplyCopy value, int numPartitions) {
      return Optional.of(value.partition() < numPartitions ? Set.of(value.partition()) : Set.of());
    }
  }
}
