package dev.sluice.gateway;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.schemas.topics.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sends a call's requests to {@code <prefix>.requests} and hands back their replies. Each request
 * is registered with {@link PendingCalls} before it is sent and carries this instance's reply
 * partition in its {@value Replies#PARTITION_HEADER} header. A request with an idempotency key is
 * keyed by it (the partition whose ingress task owns the key, so no detour); any other by its id.
 * A send the producer refuses fails that request's reply at once.
 */
final class RequestPublisher {
  private final Producer<byte[], byte[]> producer;
  private final Serializer<Object> avro;
  private final String topic;
  private final int replyPartition;
  private final PendingCalls pending;

  RequestPublisher(Producer<byte[], byte[]> producer, Serializer<Object> avro, String topic, int replyPartition, PendingCalls pending) {
    this.producer = producer;
    this.avro = avro;
    this.topic = topic;
    this.replyPartition = replyPartition;
    this.pending = pending;
  }

  /**
   * Sends the requests, in order, and returns their replies in the same order.
   *
   * @param timeout how long to wait for each reply: the requests' own deadlines
   */
  List<CompletableFuture<Reply>> send(List<InferenceRequest> requests, Duration timeout) {
    List<CompletableFuture<Reply>> replies = new ArrayList<>(requests.size());
    for (InferenceRequest request : requests) {
      String id = request.getRequestId();
      CompletableFuture<Reply> reply = pending.register(id, timeout);
      replies.add(reply);
      RecordHeaders headers = new RecordHeaders();
      headers.add(Replies.PARTITION_HEADER, Replies.partitionHeaderValue(replyPartition));
      if (request.getTraceparent() != null) {
        headers.add("traceparent", request.getTraceparent().getBytes(StandardCharsets.UTF_8));
      }
      String key = request.getIdempotencyKey() != null ? request.getIdempotencyKey() : id;
      try {
        producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), avro.serialize(topic, request), headers),
            (metadata, failure) -> {
              if (failure != null) {
                pending.fail(id, new SendFailedException(failure));
              }
            });
      } catch (RuntimeException e) {
        pending.fail(id, new SendFailedException(e));
      }
    }
    return replies;
  }

  /** A request could not be written to Kafka. */
  static final class SendFailedException extends RuntimeException {
    SendFailedException(Throwable cause) {
      super("the request could not be written to Kafka: " + cause.getMessage(), cause);
    }
  }
}
