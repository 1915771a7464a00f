package dev.sluice.topology.monitor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for the monitor's internal values (repartition topics, stores and changelogs, never a
 * contract topic, so not Avro): subclasses write and read the fields with Java's data streams;
 * null stays null, and a malformed value is a {@link SerializationException}.
 *
 * @param <T> the value type
 */
abstract class DataStreamSerde<T> implements Serde<T> {
  private final String what;

  /** @param what the value's name, for error messages */
  DataStreamSerde(String what) {
    this.what = what;
  }

  /** Writes the value's fields. */
  abstract void write(DataOutputStream out, T value) throws IOException;

  /** Reads a value written by {@link #write}. */
  abstract T read(DataInputStream in) throws IOException;

  /** The value's bytes. */
  final byte[] encode(T value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(out, value);
    } catch (IOException e) {
      throw new SerializationException("Cannot encode a " + what, e);
    }
    return bytes.toByteArray();
  }

  /** The value of {@link #encode}'s bytes. */
  final T decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return read(in);
    } catch (IOException e) {
      throw new SerializationException("Malformed " + what, e);
    }
  }

  @Override
  public final Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public final Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
