package dev.sluice.worker;

import dev.sluice.worker.flush.FlushBuffer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker loop's rebalance listener; it runs inside {@code poll}, on the loop's thread. On
 * revocation the flush in flight is committed first (the consumer still owns its partitions inside
 * this callback); when partitions are lost that commit would be fenced, so the flush is dropped and
 * the partitions still owned are rewound. Then waiting requests of the partitions taken away are
 * dropped: never answered nor committed, their next owner reads them from the last commit. It
 * also keeps the set of assigned partitions, which any thread may count (for readiness).
 */
final class LoopRebalancing implements ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(LoopRebalancing.class);

  private final CommitPipeline pipeline;
  private final FlushBuffer<PolledRecord> waiting;
  private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

  LoopRebalancing(CommitPipeline pipeline, FlushBuffer<PolledRecord> waiting) {
    this.pipeline = pipeline;
    this.waiting = waiting;
  }

  /** Partitions assigned now; any thread. */
  int assignedPartitions() {
    return assigned.size();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    pipeline.commitBeforeRevocation();
    forget(partitions, "revoked");
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    pipeline.dropAfterLoss();
    forget(partitions, "lost");
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    assigned.addAll(partitions);
    LOG.info("Assigned {}", partitions);
  }

  /** Drops waiting requests of partitions taken away; they were never answered nor committed. */
  private void forget(Collection<TopicPartition> partitions, String how) {
    Set<TopicPartition> gone = Set.copyOf(partitions);
    int dropped = waiting.removeIf(polled -> gone.contains(polled.partition()));
    assigned.removeAll(gone);
    LOG.info("Partitions {} {}; {} waiting requests left to their next owner", gone, how, dropped);
  }
}
