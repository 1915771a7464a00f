package dev.sluice.loadgen;

import java.time.Instant;

/** A bench clock for tests: time moves only when parked on, or when a test advances it. */
final class FakeClock implements BenchClock {
  static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");
  private long now = 1_000_000_000L;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Instant instantAt(long nanos) {
    return EPOCH.plusNanos(nanos);
  }

  @Override
  public void parkUntil(long nanos) {
    now = Math.max(now, nanos);
  }

  void advance(long nanos) {
    now += nanos;
  }
}
