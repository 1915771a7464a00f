package dev.sluice.schemas.topics;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How large a record a producer may send: the producer's {@code max.request.size} (1 MiB by
 * default), against an upper bound of the record's size in a batch of its own, uncompressed, as
 * Kafka's producer checks it. A record over the budget is refused by {@code send} with a
 * RecordTooLargeException, which also makes the open transaction abortable: a component that
 * produced it would abort, rewind and meet the same record again. So every component checks what
 * it derived from a record before producing it, and turns one that does not fit into a smaller
 * outcome (an ERROR result, a dead letter).
 */
public final class RecordBudget {
  /** Kafka's default {@code max.request.size}. */
  public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
  /** A record batch's header (v2) and the most a record's own framing takes, with room to spare. */
  private static final int FRAMING_BYTES = 61 + 21 + 64;
  /** The most framing a header takes besides its key and value: two varint lengths. */
  private static final int HEADER_FRAMING_BYTES = 10;

  private final int maxRecordBytes;

  /**
   * A budget of the given size.
   *
   * @param maxRecordBytes the producer's {@code max.request.size}
   */
  public RecordBudget(int maxRecordBytes) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes is " + maxRecordBytes + ", must be >= 1");
    }
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * The budget of a producer configured with these properties: {@code max.request.size}, or
   * {@code producer.max.request.size} (Kafka Streams' prefix) when set, else Kafka's default.
   *
   * @param properties producer or Kafka Streams properties
   * @return the budget
   * @throws IllegalArgumentException when the setting is not a positive number
   */
  public static RecordBudget of(Map<?, ?> properties) {
    Object value = properties.get("producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (value == null) {
      value = properties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
    if (value == null) {
      return new RecordBudget(DEFAULT_MAX_REQUEST_SIZE);
    }
    try {
      return new RecordBudget(Integer.parseInt(value.toString().trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid value " + value + " for configuration " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG
          + ": must be a positive integer", e);
    }
  }

  /** The producer's {@code max.request.size}. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /**
   * Whether a record of this key, value and headers can be sent.
   *
   * @param key the serialized key, or null
   * @param value the serialized value, or null
   * @param headers the headers, or null
   * @return true when its size bound is within {@link #maxRecordBytes()}
   */
  public boolean fits(byte[] key, byte[] value, Headers headers) {
    return sizeBound(key, value, headers) <= maxRecordBytes;
  }

  /**
   * What is wrong with a record that does not fit, for an error or a dead letter.
   *
   * @param key the serialized key, or null
   * @param value the serialized value, or null
   * @param headers the headers, or null
   * @return e.g. {@code a record of about 1489231 bytes; the producer's max.request.size is 1048576
   *     bytes}, or empty when it fits
   */
  public Optional<String> excess(byte[] key, byte[] value, Headers headers) {
    long size = sizeBound(key, value, headers);
    return size <= maxRecordBytes ? Optional.empty()
        : Optional.of("a record of about " + size + " bytes; the producer's max.request.size is " + maxRecordBytes + " bytes");
  }

  /**
   * An upper bound of the record's size in a batch of its own, uncompressed.
   *
   * @param key the serialized key, or null
   * @param value the serialized value, or null
   * @param headers the headers, or null
   * @return the bound in bytes
   */
  public static long sizeBound(byte[] key, byte[] value, Headers headers) {
    return FRAMING_BYTES + length(key) + length(value) + headersSize(headers);
  }

  /**
   * The bytes the headers take in a record, framing included.
   *
   * @param headers the headers, or null
   * @return their size in bytes
   */
  public static long headersSize(Headers headers) {
    if (headers == null) {
      return 0;
    }
    long size = 0;
    for (Header header : headers) {
      size += headerSize(header);
    }
    return size;
  }

  /**
   * The bytes one header takes in a record, framing included.
   *
   * @param header the header
   * @return its size in bytes
   */
  public static long headerSize(Header header) {
    return HEADER_FRAMING_BYTES + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
