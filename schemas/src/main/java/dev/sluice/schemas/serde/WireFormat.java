package dev.sluice.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1 to 4 the schema id (big
 * endian), then the Avro binary encoding of the record. Pure functions only.
 */
public final class WireFormat {
  /** The magic byte that starts every record. */
  public static final byte MAGIC_BYTE = 0;
  /** Header length: magic byte plus 4-byte schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The 5 header bytes for a schema id. */
  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
  }

  /** A complete record: header for the schema id followed by the Avro payload. */
  public static byte[] frame(int schemaId, byte[] avroPayload) {
    return ByteBuffer.allocate(HEADER_SIZE + avroPayload.length).put(MAGIC_BYTE).putInt(schemaId).put(avroPayload).array();
  }

  /**
   * Checks the header of a record and returns its schema id.
   *
   * @param topic the topic the bytes came from, for the error message
   * @param data the record bytes, not null
   * @throws WireFormatException of kind {@code TOO_SHORT} or {@code UNKNOWN_MAGIC_BYTE}
   */
  public static int schemaId(String topic, byte[] data) {
    if (data.length < HEADER_SIZE) {
      String problem = data.length == 0 ? "Empty payload (0 bytes, not a tombstone)" : "Payload of " + data.length + " byte(s) is too short";
      throw new WireFormatException(WireFormatException.Kind.TOO_SHORT, topic, problem,
          "the Confluent wire format needs at least " + HEADER_SIZE + " bytes: magic byte 0x00 and a 4-byte schema id", null);
    }
    if (data[0] != MAGIC_BYTE) {
      throw new WireFormatException(WireFormatException.Kind.UNKNOWN_MAGIC_BYTE, topic,
          String.format("Unknown magic byte 0x%02x", data[0] & 0xff), "expected 0x00: not Confluent wire format", null);
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
