package dev.sluice.topology.ingress;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ingress does with a record Kafka Streams cannot deserialize. Every source of the
 * ingress topology reads raw bytes and its processors decode them: {@code <prefix>.requests}
 * (bad requests become dead letters), {@code <prefix>.results}, {@code <prefix>.models} and
 * {@code <prefix>.results.cache} (bad records are skipped with a WARN by the processor, by this
 * same rule). So this handler is the rule for any deserializer a source may use: a record that is
 * bad data (a {@link SerializationException}, e.g. a wrong magic byte or an unknown schema id) is
 * skipped with a WARN naming its topic, partition and offset, and counted by Kafka Streams'
 * {@code dropped-records} metric; a registry outage or anything else fails, so the
 * uncaught-exception handler decides (transient: bounded thread replacement).
 */
public final class DeserializationFailureHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeserializationFailureHandler.class);

  /** For Kafka, which builds it from {@code deserialization.exception.handler}. */
  public DeserializationFailureHandler() {}

  @Override
  public void configure(Map<String, ?> configs) {
    // Nothing to configure: the decision depends on the failure only.
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception failure) {
    if (failure instanceof SerializationException && FailureClassifier.classify(failure) == FailureClassifier.Kind.FATAL) {
      LOG.warn("Skipping undecodable record from {} partition {} offset {}: {}",
          record.topic(), record.partition(), record.offset(), failure.getMessage());
      return Response.resume();
    }
    LOG.error("Cannot deserialize record from {} partition {} offset {}; failing the thread",
        record.topic(), record.partition(), record.offset(), failure);
    return Response.fail();
  }
}
