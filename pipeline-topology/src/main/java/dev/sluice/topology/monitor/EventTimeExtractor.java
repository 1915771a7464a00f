package dev.sluice.topology.monitor;

import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.RejectedRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.sluice.topology.app.RecordTimeExtractor;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for the monitor's inputs, from the decoded value: a result's {@code completed_at},
 * a metric event's {@code event_time}, a rejection's {@code rejected_at}, a feedback's
 * {@code observed_at}. Anything else (a value that could not be decoded and was skipped) keeps
 * the record's own time ({@link RecordTimeExtractor}), and so does a value whose time cannot be
 * true: before 2000, or more than {@link #MAX_AHEAD} after the record's own time (a feedback producer's clock years off).
 * Such a time would move stream time to the end of days, closing every window at once, and make
 * the repartition records' timestamps ones a broker refuses.
 */
final class EventTimeExtractor implements TimestampExtractor {
  /** How far a value's time may lie after its record's timestamp: Kafka's default {@code log.message.timestamp.after.max.ms}. */
  static final long MAX_AHEAD = 3_600_000L;
  private static final long EARLIEST = 946_684_800_000L;

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long recordTime = RecordTimeExtractor.recordTime(record, partitionTime);
    Long time = eventTime(record.value());
    return time == null || time < EARLIEST || time - MAX_AHEAD > recordTime ? recordTime : time;
  }

  private static Long eventTime(Object value) {
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
    return null;
  }
}
