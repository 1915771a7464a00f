package dev.sluice.gateway;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.platform.TransientFailures;
import dev.sluice.schemas.topics.Replies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this instance's partition of the replies topic, read_committed, from its end at start (a
 * restarted instance has no caller waiting for older replies), and completes the waiting calls.
 * It is ready once the position is fixed, so no reply to a request sent afterwards can be missed.
 * A reply that does not decode is logged and skipped; when reading fails, every waiting call fails.
 */
final class ReplyReader extends TopicReader<byte[], byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyReader.class);

  private final TopicPartition partition;
  private final Deserializer<InferenceResult> results;
  private final Deserializer<RejectedRequest> rejections;
  private final PendingCalls pending;

  ReplyReader(Consumer<byte[], byte[]> consumer, TopicPartition partition, Deserializer<InferenceResult> results,
      Deserializer<RejectedRequest> rejections, PendingCalls pending) {
    super(consumer, "sluice-gateway-replies-" + partition.partition());
    this.partition = partition;
    this.results = results;
    this.rejections = rejections;
    this.pending = pending;
  }

  @Override
  protected String describe() {
    return "partition " + partition.partition() + " of " + partition.topic()
        + " (does the topic exist with that many partitions? create the pipeline's topics with sluice topics create)";
  }

  @Override
  protected void position() {
    List<PartitionInfo> partitions;
    try {
      partitions = consumer.partitionsFor(partition.topic(), Duration.ofSeconds(10));
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from Kafka within 10 s (is it reachable at the bootstrap servers?)", e);
    }
    if (partitions == null || partitions.size() <= partition.partition()) {
      throw new IllegalStateException(partition.topic() + " has " + (partitions == null ? 0 : partitions.size())
          + " partitions; this gateway's reply partition is " + partition.partition());
    }
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition, Duration.ofSeconds(10));
    ready();
  }

  @Override
  protected void failed(RuntimeException e) {
    pending.failAll(e);
  }

  @Override
  protected boolean take(ConsumerRecord<byte[], byte[]> record) {
    String requestId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    String kind = Replies.kind(record.headers());
    try {
      Reply reply;
      if (Replies.RESULT.equals(kind)) {
        reply = new Reply.Result(results.deserialize(record.topic(), record.value()));
      } else if (Replies.REJECTED.equals(kind)) {
        reply = new Reply.Rejected(rejections.deserialize(record.topic(), record.value()));
      } else if (Replies.DUPLICATE.equals(kind)) {
        reply = new Reply.Duplicate();
      } else {
        LOG.warn("Skipping a reply of unknown kind {} at {}-{}@{}", kind, record.topic(), record.partition(), record.offset());
        return true;
      }
      pending.complete(requestId, reply);
      return true;
    } catch (SerializationException e) {
      if (TransientFailures.isTransient(e)) {
        LOG.warn("The schema registry is unavailable; reading the reply at {}-{}@{} again: {}", record.topic(), record.partition(),
            record.offset(), e.getMessage());
        return false;
      }
      LOG.warn("Skipping a reply that does not decode at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
      return true;
    }
  }
}
