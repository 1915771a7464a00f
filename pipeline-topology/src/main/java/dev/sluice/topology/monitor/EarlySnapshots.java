package dev.sluice.topology.monitor;

import dev.sluice.avro.MetricsSnapshot;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Turns an early update of a window into a partial snapshot, only while its window is open
 * (window end + grace after the task's stream time), so no partial update follows the final
 * snapshot of its window. Its rates are over the part of the window that has passed in stream
 * time (which the wall-clock ticks keep moving), at least {@value #LEAST_ELAPSED_MS} ms, so the
 * first seconds of a window do not read as a burst.
 */
final class EarlySnapshots implements FixedKeyProcessor<Windowed<String>, WindowAggregate, MetricsSnapshot> {
  static final long LEAST_ELAPSED_MS = 1_000;
  private final long graceMs;
  private FixedKeyProcessorContext<Windowed<String>, MetricsSnapshot> context;

  EarlySnapshots(long graceMs) {
    this.graceMs = graceMs;
  }

  @Override
  public void init(FixedKeyProcessorContext<Windowed<String>, MetricsSnapshot> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<Windowed<String>, WindowAggregate> record) {
    long streamTime = context.currentStreamTimeMs();
    long start = record.key().window().start();
    long end = record.key().window().end();
    if (end + graceMs > streamTime) {
      long elapsed = Math.min(end - start, Math.max(Math.min(LEAST_ELAPSED_MS, end - start), streamTime - start));
      context.forward(record.withValue(SnapshotFactory.snapshot(record.key(), record.value(), false, elapsed)));
    }
  }
}
