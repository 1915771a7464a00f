package dev.sluice.topology.monitor;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets an early update through only while its window is open (window end + grace after the
 * task's stream time), so no partial update follows the final snapshot of its window.
 */
final class ClosedWindowFilter implements FixedKeyProcessor<Windowed<String>, WindowAggregate, WindowAggregate> {
  private final long graceMs;
  private FixedKeyProcessorContext<Windowed<String>, WindowAggregate> context;

  ClosedWindowFilter(long graceMs) {
    this.graceMs = graceMs;
  }

  @Override
  public void init(FixedKeyProcessorContext<Windowed<String>, WindowAggregate> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<Windowed<String>, WindowAggregate> record) {
    if (record.key().window().end() + graceMs > context.currentStreamTimeMs()) {
      context.forward(record);
    }
  }
}
