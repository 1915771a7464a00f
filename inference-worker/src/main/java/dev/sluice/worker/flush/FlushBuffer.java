package dev.sluice.worker.flush;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where consumed requests wait for a flush, in the manner of djl-serving's
 * {@code BatchAggregator}: a flush is due once {@link FlushPolicy#maxRecords()} requests wait or
 * the oldest has waited {@link FlushPolicy#maxDelay()} (read from the injected {@link Clock});
 * then the caller drains them all ({@link #drainAll}) and a {@link BatchCutter} cuts the flush
 * into batches.
 *
 * <p>A drain always takes everything, so the consumed offsets behind a flush form one contiguous
 * run per partition and can be committed together; nothing ever stays behind a committed offset.
 *
 * <p>Not thread-safe, except {@link #size()}, which any thread may read (for a gauge).
 *
 * @param <T> the request type
 */
public final class FlushBuffer<T> {
  private final FlushPolicy policy;
  private final Clock clock;
  private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
  private volatile int size;

  private record Waiting<T>(T item, Instant since) {}

  /**
   * Creates an empty buffer.
   *
   * @param policy when a flush is due
   * @param clock the clock arrival times and waiting are measured on
   */
  public FlushBuffer(FlushPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Adds a request; its wait starts now. */
  public void add(T item) {
    waiting.addLast(new Waiting<>(Objects.requireNonNull(item, "item"), clock.instant()));
    size = waiting.size();
  }

  /** Requests waiting; safe to read from any thread. */
  public int size() {
    return size;
  }

  /** Whether nothing is waiting. */
  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Whether a flush is due: the maximum count waits or the oldest has waited long enough. */
  public boolean isReady() {
    return untilReady().map(Duration::isZero).orElse(false);
  }

  /**
   * How long until a flush is due: zero when it is due now, empty when nothing waits (so nothing
   * will become due by waiting).
   */
  public Optional<Duration> untilReady() {
    Waiting<T> oldest = waiting.peekFirst();
    if (oldest == null) {
      return Optional.empty();
    }
    if (waiting.size() >= policy.maxRecords()) {
      return Optional.of(Duration.ZERO);
    }
    Duration left = Duration.between(clock.instant(), oldest.since().plus(policy.maxDelay()));
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  /** When the oldest waiting request arrived, if any waits. */
  public Optional<Instant> oldestSince() {
    return Optional.ofNullable(waiting.peekFirst()).map(Waiting::since);
  }

  /** The waiting requests in arrival order, without removing them. */
  public List<T> peekAll() {
    List<T> items = new ArrayList<>(waiting.size());
    waiting.forEach(w -> items.add(w.item()));
    return items;
  }

  /** Removes and returns every waiting request, in arrival order: a flush. */
  public List<T> drainAll() {
    List<T> items = peekAll();
    waiting.clear();
    size = 0;
    return items;
  }

  /**
   * Removes and returns the oldest {@code count} waiting requests (all when fewer wait), in arrival
   * order: a flush that leaves the younger ones waiting. Within a partition requests arrive in
   * offset order, so the flush still covers one contiguous run per partition and what stays
   * behind follows it.
   */
  public List<T> drainOldest(int count) {
    if (count >= waiting.size()) {
      return drainAll();
    }
    List<T> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(waiting.pollFirst().item());
    }
    size = waiting.size();
    return items;
  }

  /**
   * Removes the waiting requests that match, e.g. those of revoked partitions.
   *
   * @return how many were removed
   */
  public int removeIf(Predicate<? super T> condition) {
    int removed = 0;
    for (Iterator<Waiting<T>> it = waiting.iterator(); it.hasNext(); ) {
      if (condition.test(it.next().item())) {
        it.remove();
        removed++;
      }
    }
    size = waiting.size();
    return removed;
  }
}
