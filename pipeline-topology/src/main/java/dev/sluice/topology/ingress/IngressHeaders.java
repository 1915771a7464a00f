package dev.sluice.topology.ingress;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers the ingress reads and the internal ones it uses to carry facts across the tenant
 * repartition, where the record key becomes the tenant.
 *
 * <p>Decision: the original request key and the dedup key travel as headers on the repartition
 * topic rather than in the PreparedRequest's {@code attributes}, so the attributes stay exactly
 * what the producer sent and workers never see ingress internals. Stage 1 strips any incoming
 * header with the internal names (a producer cannot forge a dedup key), stage 2 strips them
 * again before anything leaves the ingress.
 */
final class IngressHeaders {
  /** The W3C trace context header producers may send. */
  static final String TRACEPARENT = "traceparent";
  /** The original record key bytes; absent when the request record had no key. */
  static final String REQUEST_KEY = "sluice.request.key";
  /** The dedup key (UTF-8); present only when the request carried an idempotency key. */
  static final String DEDUP_KEY = "sluice.dedup.key";

  private IngressHeaders() {}

  /** A copy of the headers without the internal ones. */
  static Headers withoutInternal(Headers headers) {
    RecordHeaders copy = new RecordHeaders(headers.toArray());
    copy.remove(REQUEST_KEY);
    copy.remove(DEDUP_KEY);
    return copy;
  }

  /** The last value of a header as bytes, or null when absent. */
  static byte[] bytes(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : header.value();
  }

  /** The last value of a header as UTF-8 text, or null when absent or empty. */
  static String text(Headers headers, String name) {
    byte[] value = bytes(headers, name);
    return value == null || value.length == 0 ? null : new String(value, StandardCharsets.UTF_8);
  }
}
