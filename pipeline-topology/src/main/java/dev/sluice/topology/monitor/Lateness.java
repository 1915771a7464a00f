package dev.sluice.topology.monitor;

import java.time.Clock;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Records how far each contribution's event time (its timestamp) lies behind the wall clock, and passes it on unchanged. */
final class Lateness<K, V> implements FixedKeyProcessor<K, V, V> {
  private final Clock clock;
  private final MonitorMetrics metrics;
  private FixedKeyProcessorContext<K, V> context;

  Lateness(Clock clock, MonitorMetrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<K, V> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<K, V> record) {
    metrics.lateness(clock.millis() - record.timestamp());
    context.forward(record);
  }
}
