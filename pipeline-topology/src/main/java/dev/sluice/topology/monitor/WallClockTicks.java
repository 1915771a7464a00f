package dev.sluice.topology.monitor;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Moves the aggregating tasks' stream time on while no records come, so windows close and their
 * final snapshots go out on time, traffic or not. Every {@value #INTERVAL_MS} ms of wall clock,
 * each task of the input sub-topology that has seen a record writes one empty aggregate under the
 * key {@value MonitorKeys#TICK}, which {@link ByModelPartitioner} sends to every partition of the
 * aggregation input, where {@code suppress(untilWindowCloses)} then emits a window's one final
 * snapshot under exactly-once like for any record. The tick key's own windows never become
 * snapshots. Records pass through untouched.
 *
 * <p>The tick's time: while the task's latest record was live (stamped no more than the grace
 * period before the wall clock when it came), the wall clock itself, so a window closes within
 * about a tick, a commit and a fetch of its end plus grace; otherwise (replaying a backlog, or a
 * producer's clock far behind) the latest record's time plus the wall-clock time since it came,
 * so a backlog is never made late by the clock and windows still close once the input is idle.
 */
final class WallClockTicks<V> implements Processor<String, V, String, V> {
  /** Wall-clock milliseconds between ticks. */
  static final long INTERVAL_MS = 250;

  private final Supplier<V> tick;
  private final long graceMs;
  private ProcessorContext<String, V> context;
  private long eventTime = -1;
  private long seenAt;
  private boolean live;

  /**
   * @param tick makes the value a tick carries (an empty aggregate)
   * @param grace the windows' grace period
   */
  WallClockTicks(Supplier<V> tick, Duration grace) {
    this.tick = tick;
    this.graceMs = grace.toMillis();
  }

  @Override
  public void init(ProcessorContext<String, V> context) {
    this.context = context;
    context.schedule(Duration.ofMillis(INTERVAL_MS), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, V> record) {
    advance(record.timestamp(), context.currentSystemTimeMs());
    context.forward(record);
  }

  private void tick(long now) {
    if (eventTime < 0) {
      advance(context.currentStreamTimeMs(), now);
      if (eventTime < 0) {
        return;
      }
    }
    long at = live ? now : eventTime + (now - seenAt);
    context.forward(new Record<>(MonitorKeys.TICK, tick.get(), at));
  }

  /**
   * Notes a record time seen at a wall-clock instant; before the first record, the task's stream
   * time (restored from its committed offsets after a restart) stands in for it.
   */
  private void advance(long time, long now) {
    if (time > eventTime) {
      eventTime = time;
      seenAt = now;
      live = now - time <= graceMs;
    }
  }
}
