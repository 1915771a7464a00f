package dev.sluice.topology.app;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The default timestamp extractor of Sluice's Streams applications: the record's timestamp, or,
 * for a record without a valid one (negative: a client that wrote none), its partition's time,
 * or the wall clock when the partition has none yet. Kafka Streams' default fails the stream
 * thread on such a record, and its {@code UsePartitionTimeOnInvalidTimestamp} fails it when the
 * record is the partition's first: one record from a careless producer must not stop a thread.
 */
public final class RecordTimeExtractor implements TimestampExtractor {
  /** For Kafka, which builds it from {@code default.timestamp.extractor}. */
  public RecordTimeExtractor() {}

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return recordTime(record, partitionTime);
  }

  /**
   * The record's valid timestamp, else the partition's time, else now.
   *
   * @param record the record
   * @param partitionTime the partition's time, negative when unknown
   * @return a non-negative timestamp
   */
  public static long recordTime(ConsumerRecord<?, ?> record, long partitionTime) {
    if (record.timestamp() >= 0) {
      return record.timestamp();
    }
    return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
  }
}
