package dev.sluice.platform.models;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** A topic of one partition holding the given records from offset 0, as a MockConsumer sees it once it polls. */
final class OnePartitionTopic {
  private OnePartitionTopic() {}

  static void fill(MockConsumer<String, byte[]> consumer, String topic, List<ConsumerRecord<String, byte[]>> records) {
    consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(new TopicPartition(topic, 0), 0L));
    consumer.updateEndOffsets(Map.of(new TopicPartition(topic, 0), (long) records.size()));
    consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
  }
}
