package dev.sluice.worker;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import dev.sluice.schemas.serde.WireFormatException;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads consumed records as PreparedRequests. Bytes that are not one (a wire-format problem, an
 * unknown schema id, a null value) make an {@link PolledRecord.Undecodable}, which is dead-lettered:
 * the ingress only writes well-formed requests, so such a record is a foreign or corrupt write,
 * and it must neither stop the partition nor vanish uncounted. A registry outage is no data
 * problem: the read is retried with backoff and, past the last attempt, stops the worker.
 */
final class RequestDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDecoder.class);

  private final Deserializer<PreparedRequest> requests;
  private final RetryPolicy retry;
  private final Sleeper sleeper;
  private final ReplyPartitions replies;

  RequestDecoder(Deserializer<PreparedRequest> requests, ReplyPartitions replies, RetryPolicy retry, Sleeper sleeper) {
    this.requests = requests;
    this.replies = replies;
    this.retry = retry;
    this.sleeper = sleeper;
  }

  PolledRecord decode(ConsumerRecord<byte[], byte[]> record, Instant pickedUp) {
    if (record.value() == null) {
      return new PolledRecord.Undecodable(record, new WireFormatException(WireFormatException.Kind.TOO_SHORT, record.topic(),
          "Null value", "a PreparedRequest was expected, not a tombstone", null).withPosition(record.partition(), record.offset()), pickedUp);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        PreparedRequest request = requests.deserialize(record.topic(), record.value());
        return new PolledRecord.Request(record, request, pickedUp, request.getShadow() ? -1 : replies.resolve(record.headers()));
      } catch (WireFormatException e) {
        return new PolledRecord.Undecodable(record, e.withPosition(record.partition(), record.offset()), pickedUp);
      } catch (SchemaRegistryUnavailableException | SchemaRegistryServerException e) {
        if (!retry.allowsAnother(attempt)) {
          throw new WorkerFailure("The schema registry stayed unavailable for " + attempt + " attempts to read a request", e);
        }
        LOG.warn("The schema registry is unavailable (attempt {} of {}): {}", attempt, retry.maxAttempts(), e.getMessage());
        try {
          sleeper.sleep(retry.delayAfter(attempt));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new WorkerFailure("Interrupted while waiting for the schema registry", interrupted);
        }
      }
    }
  }
}
