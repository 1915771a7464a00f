package dev.sluice.worker;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker loop's rebalance listener; it runs inside {@code poll}, on the loop's thread. On
 * revocation the set in flight is committed first (the consumer still owns its partitions inside
 * this callback); when partitions are lost that commit would be fenced, so the set is dropped and
 * the partitions still owned are rewound. Then waiting requests of the partitions taken away are
 * dropped: never answered nor committed, their next owner reads them from the last commit.
 */
final class LoopRebalancing implements ConsumerRebalanceListener {
  private final WorkerLoop loop;

  LoopRebalancing(WorkerLoop loop) {
    this.loop = loop;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    loop.beforeRevocation();
    loop.forget(partitions, "revoked");
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    loop.afterLoss();
    loop.forget(partitions, "lost");
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    loop.assignedNow(partitions);
  }
}
