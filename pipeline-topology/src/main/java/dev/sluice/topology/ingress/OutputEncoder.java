package dev.sluice.topology.ingress;

import dev.sluice.avro.ReasonCode;
import dev.sluice.schemas.topics.RecordBudget;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Encodes what the request path writes besides dead letters (prepared requests and their shadow
 * copies, cached answers) and checks each against the producer's {@link RecordBudget} before
 * anything is produced. A record over {@code max.request.size} would not just fail: it would make
 * the stream thread's transaction abortable, so the task would abort, rewind and meet the same
 * record again, forever. Here it becomes a {@link Encoding.Refused}, which the processor turns into
 * a dead letter. A datum Avro cannot write is refused too (OTHER); registry outages propagate.
 */
final class OutputEncoder {
  private final Serializer<Object> avro;
  private final RecordBudget budget;

  OutputEncoder(Serializer<Object> avro, RecordBudget budget) {
    this.avro = avro;
    this.budget = budget;
  }

  /** What encoding one value came to. */
  sealed interface Encoding {
    /** The value encoded, and it fits. */
    record Encoded(EncodedValue value) implements Encoding {}

    /** The value cannot be produced: why, for the dead letter. */
    record Refused(ReasonCode reason, String detail) implements Encoding {}
  }

  /**
   * Encodes a value for a topic, to be produced under this key and these headers.
   *
   * @param topic the topic
   * @param value the Avro value
   * @param key the record key
   * @param headers the record headers
   * @param what what the value is, for the detail ("the prepared request")
   * @return the encoded value, or why it cannot be produced
   */
  Encoding encode(String topic, Object value, byte[] key, Headers headers, String what) {
    byte[] bytes;
    try {
      bytes = avro.serialize(topic, value);
    } catch (SerializationException e) {
      return new Encoding.Refused(ReasonCode.OTHER, what + " for " + topic + " cannot be encoded: " + e.getMessage());
    }
    Optional<String> excess = budget.excess(key, bytes, headers);
    if (excess.isPresent()) {
      return new Encoding.Refused(ReasonCode.PAYLOAD_TOO_LARGE, what + " for " + topic + " would be " + excess.get());
    }
    return new Encoding.Encoded(new EncodedValue(topic, bytes));
  }
}
