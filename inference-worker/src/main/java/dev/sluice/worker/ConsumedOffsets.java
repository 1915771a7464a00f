package dev.sluice.worker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets of a flush of consumed records. The worker consumes each partition in order and a flush
 * drains everything consumed, so per partition a flush is one contiguous run: committing
 * the offset after its last record is exact, and rewinding to its first record re-reads exactly
 * that run.
 */
final class ConsumedOffsets {
  private ConsumedOffsets() {}

  /** Per partition, the offset after the last record (with that record's leader epoch). */
  static Map<TopicPartition, OffsetAndMetadata> toCommit(List<PolledRecord> flush) {
    Map<TopicPartition, ConsumerRecord<byte[], byte[]>> last = new HashMap<>();
    for (PolledRecord polled : flush) {
      last.merge(polled.partition(), polled.record(), (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    last.forEach((partition, record) -> offsets.put(partition, new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), "")));
    return offsets;
  }

  /** Per partition, the offset of the first record: where to seek after an aborted transaction. */
  static Map<TopicPartition, Long> firstOffsets(List<PolledRecord> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (PolledRecord polled : records) {
      first.merge(polled.partition(), polled.record().offset(), Math::min);
    }
    return first;
  }
}
