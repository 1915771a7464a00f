package dev.sluice.topology.monitor;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Lets one labelled outcome per request id through: feedback sent twice for a request (a retried
 * send, a second label) joins its result twice, and only the first counts. The request ids seen
 * are kept in a window store (keyed by request id, so in the task of the join's partition) for
 * as long as a second label could still join: twice the join window plus the grace period.
 */
final class FirstLabelOnly implements FixedKeyProcessor<String, KeyValue<String, WindowAggregate>, KeyValue<String, WindowAggregate>> {
  private final String storeName;
  private final long retentionMs;
  private FixedKeyProcessorContext<String, KeyValue<String, WindowAggregate>> context;
  private WindowStore<String, Long> seen;

  /**
   * @param storeName the window store of the request ids seen
   * @param retention how long a request id is remembered
   */
  FirstLabelOnly(String storeName, Duration retention) {
    this.storeName = storeName;
    this.retentionMs = retention.toMillis();
  }

  /** How long a request id must be remembered for a join window and grace. */
  static Duration retention(Duration joinWindow, Duration grace) {
    return joinWindow.multipliedBy(2).plus(grace).plusSeconds(1);
  }

  @Override
  public void init(FixedKeyProcessorContext<String, KeyValue<String, WindowAggregate>> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, KeyValue<String, WindowAggregate>> record) {
    if (record.value() == null || record.key() == null) {
      return;
    }
    long time = record.timestamp();
    try (WindowStoreIterator<Long> earlier = seen.fetch(record.key(), Instant.ofEpochMilli(Math.max(0, time - retentionMs)),
        Instant.ofEpochMilli(time + retentionMs))) {
      if (earlier.hasNext()) {
        return;
      }
    }
    seen.put(record.key(), time, time);
    context.forward(record);
  }
}
