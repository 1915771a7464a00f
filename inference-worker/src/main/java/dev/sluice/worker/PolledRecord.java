package dev.sluice.worker;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.serde.WireFormatException;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** A consumed record waiting in the worker: a prepared request, or bytes that did not decode. */
sealed interface PolledRecord {

  /** The consumed record. */
  ConsumerRecord<byte[], byte[]> record();

  /** When the worker polled it. */
  Instant pickedUp();

  /** The partition it came from. */
  default TopicPartition partition() {
    return new TopicPartition(record().topic(), record().partition());
  }

  /**
   * A decoded request.
   *
   * @param record the consumed record (its key keys the result)
   * @param request the request
   * @param pickedUp when the worker polled it
   * @param replyPartition the partition of the replies topic its outcome is copied to, -1 for none
   */
  record Request(ConsumerRecord<byte[], byte[]> record, PreparedRequest request, Instant pickedUp, int replyPartition)
      implements PolledRecord {

    /** A request whose outcome is not copied to a reply partition. */
    Request(ConsumerRecord<byte[], byte[]> record, PreparedRequest request, Instant pickedUp) {
      this(record, request, pickedUp, -1);
    }

    /** The model version the request was routed to. */
    String version() {
      return request.getModelVersion();
    }

    /** Input length for bucketing: characters of text, values of a tensor, features of a row. */
    int length() {
      Object input = request.getInput();
      if (input instanceof TextInput text) {
        return text.getText().length();
      }
      if (input instanceof TensorInput tensor) {
        return tensor.getValues().size();
      }
      if (input instanceof TabularInput row) {
        return row.getFeatures().size();
      }
      return 0;
    }
  }

  /**
   * A record whose value is not a readable PreparedRequest (or is null).
   *
   * @param record the consumed record
   * @param failure what was wrong
   * @param pickedUp when the worker polled it
   */
  record Undecodable(ConsumerRecord<byte[], byte[]> record, WireFormatException failure, Instant pickedUp) implements PolledRecord {}
}
