package dev.sluice.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What the serializer writes: the Avro schema of a datum (a record, enum or fixed, or a
 * primitive such as a String key) and its Avro binary encoding.
 */
final class AvroDatums {
  private AvroDatums() {}

  /**
   * The schema of a datum.
   *
   * @throws SerializationException when the datum is neither an Avro container nor a primitive
   */
  static Schema schemaOf(Object datum) {
    if (datum instanceof GenericContainer container) {
      return container.getSchema();
    }
    Schema.Type type;
    if (datum instanceof CharSequence) {
      type = Schema.Type.STRING;
    } else if (datum instanceof Integer) {
      type = Schema.Type.INT;
    } else if (datum instanceof Long) {
      type = Schema.Type.LONG;
    } else if (datum instanceof Float) {
      type = Schema.Type.FLOAT;
    } else if (datum instanceof Double) {
      type = Schema.Type.DOUBLE;
    } else if (datum instanceof Boolean) {
      type = Schema.Type.BOOLEAN;
    } else if (datum instanceof byte[] || datum instanceof ByteBuffer) {
      type = Schema.Type.BYTES;
    } else {
      throw new SerializationException("Cannot serialize a " + datum.getClass().getName()
          + " as Avro: expected a SpecificRecord, GenericContainer or primitive (String, Integer, Long, Float, Double, Boolean, byte[])");
    }
    return Schema.create(type);
  }

  /**
   * The writer of a datum with a schema: a {@link SpecificDatumWriter} with its class's
   * logical-type conversions for a SpecificRecord, else a generic one. Writers hold no state
   * between writes, so one may serve every datum of its class.
   */
  static DatumWriter<Object> writerFor(Object datum, Schema schema) {
    return datum instanceof SpecificRecord
        ? new SpecificDatumWriter<>(schema, SpecificData.getForClass(datum.getClass()))
        : new GenericDatumWriter<>(schema, GenericData.get());
  }

  /**
   * Encodes a datum with a schema, as a SpecificRecord (with its class's logical-type
   * conversions) or generically.
   *
   * @throws SerializationException when the datum does not fit the schema
   */
  static byte[] encode(Object datum, Schema schema, String topic) {
    return write(new ByteArrayOutputStream(512), datum, schema, writerFor(datum, schema), topic);
  }

  /**
   * Encodes a datum in the Confluent wire format (magic byte, schema id, Avro binary) into one
   * buffer, with a writer from {@link #writerFor}.
   *
   * @throws SerializationException when the datum does not fit the schema
   */
  static byte[] encodeFramed(int schemaId, Object datum, Schema schema, DatumWriter<Object> writer, String topic) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    out.writeBytes(WireFormat.header(schemaId));
    return write(out, datum, schema, writer, topic);
  }

  private static byte[] write(ByteArrayOutputStream out, Object datum, Schema schema, DatumWriter<Object> writer, String topic) {
    Object value = datum instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : datum;
    // Buffered: ByteArrayOutputStream's writes are synchronized, so a direct encoder, writing
    // field by field, costs more than the buffer's one extra copy.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
      throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
