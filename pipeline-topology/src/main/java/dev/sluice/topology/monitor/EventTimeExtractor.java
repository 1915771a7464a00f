package dev.sluice.topology.monitor;

import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.RejectedRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the monitor's inputs, from the decoded value: a result's {@code completed_at},
 * a metric event's {@code event_time}, a rejection's {@code rejected_at}, a feedback's
 * {@code observed_at}. Anything else (a value that could not be decoded and was skipped) keeps
 * the record's own timestamp.
 */
final class EventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    if (value instanceof InferenceResult result) {
      return result.getCompletedAt().toEpochMilli();
    }
    if (value instanceof MetricEvent event) {
      return event.getEventTime().toEpochMilli();
    }
    if (value instanceof RejectedRequest rejection) {
      return rejection.getRejectedAt().toEpochMilli();
    }
    if (value instanceof Feedback feedback) {
      return feedback.getObservedAt().toEpochMilli();
    }
    return record.timestamp();
  }
}
