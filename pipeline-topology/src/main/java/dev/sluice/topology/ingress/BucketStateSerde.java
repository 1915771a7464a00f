package dev.sluice.topology.ingress;

import dev.sluice.preprocessing.BucketState;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of a token bucket's state for the rate-limit store and its changelog: a version byte
 * (1), then the tokens as a big-endian IEEE double and the update time as a big-endian long, 17
 * bytes in all. Private to the ingress, so no schema registry is involved.
 */
final class BucketStateSerde implements Serde<BucketState> {
  static final byte VERSION = 1;
  static final int SIZE = 1 + Double.BYTES + Long.BYTES;

  @Override
  public Serializer<BucketState> serializer() {
    return (topic, state) -> state == null ? null
        : ByteBuffer.allocate(SIZE).put(VERSION).putDouble(state.tokens()).putLong(state.updatedAtMillis()).array();
  }

  @Override
  public Deserializer<BucketState> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      if (data.length != SIZE || data[0] != VERSION) {
        throw new SerializationException("Token bucket state in " + topic + " is " + data.length
            + " bytes starting with version " + (data.length == 0 ? "none" : data[0]) + "; expected " + SIZE + " bytes of version " + VERSION);
      }
      ByteBuffer buffer = ByteBuffer.wrap(data, 1, SIZE - 1);
      return new BucketState(buffer.getDouble(), buffer.getLong());
    };
  }
}
