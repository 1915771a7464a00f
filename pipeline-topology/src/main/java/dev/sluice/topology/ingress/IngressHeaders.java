package dev.sluice.topology.ingress;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record headers the ingress reads. It adds none of its own: the request path runs in the task
 * of the request's partition, so nothing has to travel between stages in headers, and every
 * output record carries the input record's headers as the producer sent them, except the W3C
 * trace context, which {@link TracedRequests} replaces with the ingress span's.
 */
final class IngressHeaders {
  /** The W3C trace context header producers may send. */
  static final String TRACEPARENT = "traceparent";

  private IngressHeaders() {}

  /** The last value of a header as UTF-8 text, or null when absent or empty. */
  static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    byte[] value = header == null ? null : header.value();
    return value == null || value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
  }
}
