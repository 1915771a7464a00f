package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.SourcePosition;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One record from {@code <prefix>.requests} on its way through the request path: the record as
 * read (raw key and value bytes, headers, timestamp), where it was read, when its decoding
 * started, and the request once decoded.
 *
 * @param record the input record
 * @param source its topic, partition and offset, or null when unknown
 * @param startedNanos {@link System#nanoTime()} when the ingress started decoding it (the start of
 *     {@value IngressMetrics#LATENCY})
 * @param request the decoded request, or null before decoding (or when it could not be decoded)
 */
record RequestRecord(Record<byte[], byte[]> record, SourcePosition source, long startedNanos, InferenceRequest request) {

  /** A record not decoded yet, whose decoding starts now. */
  RequestRecord(Record<byte[], byte[]> record, SourcePosition source) {
    this(record, source, System.nanoTime(), null);
  }

  /** The same record with its decoded request. */
  RequestRecord decoded(InferenceRequest decoded) {
    return new RequestRecord(record, source, startedNanos, decoded);
  }

  /** The request's trace context: the request's own traceparent, else the W3C {@code traceparent} header. */
  String traceparent() {
    if (request != null && request.getTraceparent() != null) {
      return request.getTraceparent();
    }
    return IngressHeaders.text(record.headers(), IngressHeaders.TRACEPARENT);
  }
}
