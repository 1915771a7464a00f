package dev.sluice.topology.ingress;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A value the request path has already encoded, with the topic it was encoded for: the
 * processor encodes prepared requests and cached answers itself so that it knows their size
 * before anything is produced ({@link OutputEncoder}); the sinks only pass the bytes on.
 *
 * @param topic the topic the value goes to (its subject was {@code <topic>-value})
 * @param bytes the value in the Confluent wire format
 */
record EncodedValue(String topic, byte[] bytes) {

  /** The sinks' value serializer: the bytes as they are. */
  static final class BytesOf implements Serializer<EncodedValue> {
    @Override
    public byte[] serialize(String topic, EncodedValue value) {
      return value == null ? null : value.bytes();
    }
  }

  /** Sends each value to the topic it was encoded for; {@code described} names the sink in describe(). */
  record TopicOf(String described) implements TopicNameExtractor<byte[], EncodedValue> {
    @Override
    public String extract(byte[] key, EncodedValue value, RecordContext context) {
      return value.topic();
    }

    @Override
    public String toString() {
      return described;
    }
  }
}
