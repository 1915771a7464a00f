package dev.sluice.topology.ingress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the ingress when a request follows a quiet spell, so that it asks Kafka Streams to commit
 * at once rather than at the next commit interval: a lone request is then published to the
 * workers in one transaction's time instead of waiting up to {@code commit.interval.ms}. Under
 * steady traffic (requests closer together than the spell) commits keep their interval, so the
 * transaction rate stays bounded. One instance serves every task of an ingress instance; any
 * thread.
 */
final class QuietSpell {
  private final long quietMillis;
  private final AtomicLong lastArrival = new AtomicLong(Long.MIN_VALUE / 2);

  /** @param quietMillis the gap after which a request counts as lone (the commit interval) */
  QuietSpell(long quietMillis) {
    if (quietMillis < 0) {
      throw new IllegalArgumentException("quietMillis must be >= 0, was " + quietMillis);
    }
    this.quietMillis = quietMillis;
  }

  /** Records an arrival at {@code nowMillis}; true when none came in the spell before it. */
  boolean endedBy(long nowMillis) {
    long previous = lastArrival.getAndSet(nowMillis);
    return nowMillis - previous >= quietMillis;
  }
}
