package dev.sluice.schemas.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Request-reply over Kafka, the way the HTTP gateway waits for its requests' outcomes. A request
 * that names a partition of {@link PipelineTopics#replies()} in its {@value #PARTITION_HEADER}
 * header has its outcome copied there, besides its usual topic, by whoever writes the outcome (the
 * ingress for a dead letter or a cached answer, the worker for a result or a dead letter), in the
 * same transaction. Each gateway instance owns one partition, so it reads only its own callers'
 * outcomes. The copy holds the outcome's own bytes (Confluent wire format, the schema id of its
 * usual topic), keyed by request id, with {@value #KIND_HEADER} saying which record it is; a retry
 * the ingress drops as a duplicate of its idempotency key gets a {@value #DUPLICATE} reply without
 * a value, so its caller learns at once that the first request holds the answer. A
 * header that names no partition of the topic is ignored: the outcome still lands on its usual
 * topic, and nothing a producer writes can make a writer fail.
 */
public final class Replies {
  /** Request header: the partition of the replies topic the outcome is copied to (decimal). */
  public static final String PARTITION_HEADER = "sluice.reply.partition";
  /** Reply header: {@value #RESULT} or {@value #REJECTED}. */
  public static final String KIND_HEADER = "sluice.reply.kind";
  /** The kind of an {@code InferenceResult} copy. */
  public static final String RESULT = "result";
  /** The kind of a {@code RejectedRequest} copy. */
  public static final String REJECTED = "rejected";
  /** The kind of the value-less reply to a retry dropped as a duplicate of its idempotency key. */
  public static final String DUPLICATE = "duplicate";
  private static final int MAX_DIGITS = 9;

  private Replies() {}

  /** The reply partition the headers ask for, or -1 when they name none (absent, empty, not a small decimal). */
  public static int requestedPartition(Headers headers) {
    Header header = headers == null ? null : headers.lastHeader(PARTITION_HEADER);
    byte[] value = header == null ? null : header.value();
    if (value == null || value.length == 0 || value.length > MAX_DIGITS) {
      return -1;
    }
    int partition = 0;
    for (byte b : value) {
      if (b < '0' || b > '9') {
        return -1;
      }
      partition = partition * 10 + (b - '0');
    }
    return partition;
  }

  /** The headers a request carries to have its outcome copied to the given partition. */
  public static byte[] partitionHeaderValue(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("a reply partition is never negative, was " + partition);
    }
    return Integer.toString(partition).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The copy of an outcome on the replies topic.
   *
   * @param topic the replies topic
   * @param partition a partition of it that exists
   * @param requestId the outcome's request id (its key), may be null
   * @param kind {@value #RESULT}, {@value #REJECTED} or {@value #DUPLICATE}
   * @param value the outcome's bytes as written on its own topic (null for a duplicate)
   */
  public static ProducerRecord<byte[], byte[]> copy(String topic, int partition, String requestId, String kind, byte[] value) {
    return new ProducerRecord<>(topic, partition, key(requestId), value, headers(kind));
  }

  /** The key of a reply: the request id's UTF-8 bytes. */
  public static byte[] key(String requestId) {
    return requestId == null ? null : requestId.getBytes(StandardCharsets.UTF_8);
  }

  /** The headers of a reply of the given kind. */
  public static Headers headers(String kind) {
    return new RecordHeaders().add(KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8));
  }

  /** The kind of a reply, or null when it says none. */
  public static String kind(Headers headers) {
    Header header = headers.lastHeader(KIND_HEADER);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
