package dev.sluice.schemas.topics;

import dev.sluice.avro.RejectedRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What a dead letter keeps of the record it refuses, so that it always fits on
 * {@code <prefix>.requests.rejected} whatever the original was: at most
 * {@value #MAX_ORIGINAL_VALUE_BYTES} bytes of the original value and {@value #MAX_ORIGINAL_KEY_BYTES}
 * of its key (with {@code original_truncated} set and the full sizes in
 * {@code original_key_size} / {@code original_value_size}), texts taken from the request (id,
 * model, tenant, trace) cut to {@value #MAX_FIELD_CHARS} chars and the detail to
 * {@value #MAX_DETAIL_CHARS}, a record key of at most {@value #MAX_ORIGINAL_KEY_BYTES} bytes (else
 * none), and the original headers while they add up to at most {@value #MAX_HEADER_BYTES} bytes.
 * The whole dead letter stays under 100 KB, well within any {@code max.request.size} a cluster
 * uses.
 */
public final class DeadLetterBounds {
  /** The most of the original value a dead letter copies. */
  public static final int MAX_ORIGINAL_VALUE_BYTES = 64 * 1024;
  /** The most of the original key a dead letter copies, and the largest record key it keeps. */
  public static final int MAX_ORIGINAL_KEY_BYTES = 4 * 1024;
  /** The longest text a dead letter copies from the request (request id, model, tenant, trace). */
  public static final int MAX_FIELD_CHARS = 512;
  /** The longest detail. */
  public static final int MAX_DETAIL_CHARS = 4096;
  /** The most header bytes a dead letter record keeps of the original's. */
  public static final int MAX_HEADER_BYTES = 8 * 1024;

  private DeadLetterBounds() {}

  /**
   * Builds a dead letter within the bounds: cuts the texts already set on the builder (request
   * id, model, tenant and trace to {@value #MAX_FIELD_CHARS} chars, the detail to
   * {@value #MAX_DETAIL_CHARS}) and sets the original key and value (their first bytes when large),
   * their sizes and the truncation flag.
   *
   * @param builder the dead letter, every other field set
   * @param key the original key bytes, or null
   * @param value the original value bytes, or null
   * @return the dead letter
   */
  public static RejectedRequest bounded(RejectedRequest.Builder builder, byte[] key, byte[] value) {
    boolean truncated = (key != null && key.length > MAX_ORIGINAL_KEY_BYTES) || (value != null && value.length > MAX_ORIGINAL_VALUE_BYTES);
    return builder.setRequestId(clip(builder.getRequestId(), MAX_FIELD_CHARS)).setModel(clip(builder.getModel(), MAX_FIELD_CHARS))
        .setTenant(clip(builder.getTenant(), MAX_FIELD_CHARS)).setTraceparent(clip(builder.getTraceparent(), MAX_FIELD_CHARS))
        .setDetail(clip(builder.getDetail(), MAX_DETAIL_CHARS))
        .setOriginalKey(prefix(key, MAX_ORIGINAL_KEY_BYTES)).setOriginalValue(prefix(value, MAX_ORIGINAL_VALUE_BYTES))
        .setOriginalKeySize(key == null ? null : key.length).setOriginalValueSize(value == null ? null : value.length)
        .setOriginalTruncated(truncated).build();
  }

  /**
   * The record key a dead letter is produced under: the original's, or null when it is larger
   * than {@value #MAX_ORIGINAL_KEY_BYTES} bytes.
   *
   * @param key the original key, or null
   * @return the key to produce
   */
  public static byte[] recordKey(byte[] key) {
    return key != null && key.length > MAX_ORIGINAL_KEY_BYTES ? null : key;
  }

  /**
   * The headers a dead letter record keeps: the original's in order while they add up to at most
   * {@value #MAX_HEADER_BYTES} bytes; a header that would pass the bound is left out.
   *
   * @param headers the original headers, or null
   * @return the headers to produce (the same object when all of them fit)
   */
  public static Headers headers(Headers headers) {
    if (headers == null || RecordBudget.headersSize(headers) <= MAX_HEADER_BYTES) {
      return headers;
    }
    RecordHeaders kept = new RecordHeaders();
    long size = 0;
    for (Header header : headers) {
      long headerSize = RecordBudget.headerSize(header);
      if (size + headerSize <= MAX_HEADER_BYTES) {
        kept.add(header);
        size += headerSize;
      }
    }
    return kept;
  }

  private static ByteBuffer prefix(byte[] bytes, int max) {
    if (bytes == null) {
      return null;
    }
    return ByteBuffer.wrap(bytes.length <= max ? bytes : Arrays.copyOf(bytes, max));
  }

  private static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int cut = max - 1;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "…";
  }
}
