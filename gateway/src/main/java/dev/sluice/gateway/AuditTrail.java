package dev.sluice.gateway;

import dev.sluice.avro.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link AuditEvent} per API call, allowed or refused, to {@code <prefix>.audit}: who
 * (tenant and key id, never the key), from where, what (method, path, status, latency, the
 * pipeline request ids), and why a refusal was refused; never the payload. Written with the
 * gateway's idempotent producer, asynchronously; an event Kafka does not take is counted
 * ({@link #failures()}) and logged, and never fails the call.
 */
final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  private static final int MAX_TEXT = 256;
  private static final int MAX_TRACE = 512;

  private final Producer<byte[], byte[]> producer;
  private final Serializer<Object> avro;
  private final String topic;
  private final String gateway;
  private final AtomicLong failures = new AtomicLong();

  AuditTrail(Producer<byte[], byte[]> producer, Serializer<Object> avro, String topic, String gateway) {
    this.producer = producer;
    this.avro = avro;
    this.topic = topic;
    this.gateway = gateway;
  }

  /** The event of one answered call. */
  AuditEvent event(Request request, ApiKeys.Caller caller, ApiResponse answer, Duration took) {
    return event(request, caller, answer.status(), answer.reason(), answer.requestIds(), took);
  }

  /** The event of one call answered outside the JSON endpoints (the MCP transport): its status and refusal reason. */
  AuditEvent event(Request request, ApiKeys.Caller caller, int status, String reason, List<String> requestIds, Duration took) {
    return AuditEvent.newBuilder().setTime(Instant.now()).setGateway(gateway)
        .setTenant(caller == null ? null : caller.tenant()).setKeyId(caller == null ? null : caller.keyId())
        .setClientAddress(Request.getRemoteAddr(request)).setMethod(request.getMethod())
        .setPath(cut(Request.getPathInContext(request), 2 * MAX_TEXT)).setStatus(status).setLatencyMs(took.toNanos() / 1e6)
        .setRequestIds(requestIds).setReason(reason)
        .setTraceparent(cut(request.getHeaders().get("traceparent"), MAX_TRACE))
        .setUserAgent(cut(request.getHeaders().get(HttpHeader.USER_AGENT), MAX_TEXT)).build();
  }

  /** Sends the event; a failure is counted and logged, never thrown. */
  void record(AuditEvent event) {
    try {
      producer.send(new ProducerRecord<>(topic, avro.serialize(topic, event)), (metadata, failure) -> {
        if (failure != null) {
          failed(failure);
        }
      });
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(Exception e) {
    long count = failures.incrementAndGet();
    if (count == 1 || count % 1000 == 0) {
      LOG.warn("Could not write an audit event to {} ({} so far): {}", topic, count, e.toString());
    }
  }

  /** Events Kafka did not take. */
  long failures() {
    return failures.get();
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
