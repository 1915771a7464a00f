package dev.sluice.schemas.serde;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that could not be read as a Confluent wire-format Avro record: what was wrong
 * ({@link #kind()}), in which topic, and where in it when known. Kafka's {@code Deserializer}
 * API does not pass the partition and offset, so a caller that knows them (a consumer loop, a
 * Streams exception handler) attaches them with {@link #withPosition(int, long)}.
 *
 * <p>Always bad data, never infrastructure: registry outages surface as
 * {@link dev.sluice.schemas.registry.SchemaRegistryException}s instead, so a dead-letter handler
 * can route these and fail on those.
 */
public final class WireFormatException extends SerializationException {

  /** What was wrong with the bytes. */
  public enum Kind {
    /** Byte 0 is not the Confluent magic byte 0. */
    UNKNOWN_MAGIC_BYTE,
    /** Fewer than the 5 header bytes (an empty array included). */
    TOO_SHORT,
    /** The registry has no schema with the id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro binary does not decode with the writer schema. */
    MALFORMED_PAYLOAD,
    /** The writer schema cannot be read with the reader schema (or no reader class exists). */
    READER_INCOMPATIBLE
  }

  private final Kind kind;
  private final String topic;
  private final String problem;
  private final String explanation;
  private final Integer partition;
  private final Long offset;

  /**
   * Creates one without a position.
   *
   * @param kind what was wrong
   * @param topic the topic the bytes came from
   * @param problem what was wrong, e.g. {@code Unknown magic byte 0x7b}
   * @param explanation why it matters or what was expected, e.g. {@code expected 0x00: not
   *     Confluent wire format}
   * @param cause the underlying failure, or null
   */
  public WireFormatException(Kind kind, String topic, String problem, String explanation, Throwable cause) {
    super(message(topic, problem, explanation, null, null), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.topic = topic;
    this.problem = problem;
    this.explanation = explanation;
    this.partition = null;
    this.offset = null;
  }

  /** The same failure at a record's position. */
  private WireFormatException(WireFormatException unplaced, int partition, long offset) {
    super(message(unplaced.topic, unplaced.problem, unplaced.explanation, partition, offset), unplaced.getCause());
    this.kind = unplaced.kind;
    this.topic = unplaced.topic;
    this.problem = unplaced.problem;
    this.explanation = unplaced.explanation;
    this.partition = partition;
    this.offset = offset;
  }

  private static String message(String topic, String problem, String explanation, Integer partition, Long offset) {
    StringBuilder text = new StringBuilder(problem).append(" in record from topic ").append(topic);
    if (partition != null) {
      text.append(" partition ").append(partition).append(" offset ").append(offset);
    }
    if (explanation != null && !explanation.isEmpty()) {
      text.append(" (").append(explanation).append(')');
    }
    return text.toString();
  }

  /** The same failure with the record's partition and offset; the stack trace is kept. */
  public WireFormatException withPosition(int partition, long offset) {
    WireFormatException located = new WireFormatException(this, partition, offset);
    located.setStackTrace(getStackTrace());
    return located;
  }

  /** What was wrong. */
  public Kind kind() {
    return kind;
  }

  /** The topic the bytes came from. */
  public String topic() {
    return topic;
  }

  /** The partition, when attached. */
  public Optional<Integer> partition() {
    return Optional.ofNullable(partition);
  }

  /** The offset, when attached. */
  public OptionalLong offset() {
    return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
  }
}
