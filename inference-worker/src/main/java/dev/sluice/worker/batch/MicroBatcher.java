package dev.sluice.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Dynamic micro-batching, in the manner of djl-serving's {@code BatchAggregator}: requests wait
 * here until either {@link BatchingPolicy#maxSize()} of them are waiting or the oldest has waited
 * {@link BatchingPolicy#maxDelay()} (read from the injected {@link Clock}); then the caller drains
 * them all and {@link #cut cuts} them into model batches.
 *
 * <p>Cutting groups the requests by model version (one runner per batch) and, with bucketing on,
 * sorts each group by input length before cutting it into contiguous runs of at most
 * {@code maxSize}, of near-equal sizes: a group of 40 with a maximum of 32 becomes two batches
 * of 20, the 20 shortest inputs together. Short inputs are then padded only to the longest of
 * their neighbours in length, not to the longest of all.
 *
 * <p>A drain always takes everything, so the consumed offsets behind a drained set form one
 * contiguous run per partition and can be committed together; nothing ever stays behind a
 * committed offset.
 *
 * <p>Not thread-safe, except {@link #size()}, which any thread may read (for a gauge).
 *
 * @param <T> the request type
 */
public final class MicroBatcher<T> {
  private final BatchingPolicy policy;
  private final Clock clock;
  private final ToIntFunction<? super T> lengthOf;
  private final Function<? super T, ?> groupOf;
  private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
  private volatile int size;

  private record Waiting<T>(T item, Instant since) {}

  /**
   * Creates an empty batcher.
   *
   * @param policy size, delay and bucketing
   * @param clock the clock arrival times and waiting are measured on
   * @param lengthOf input length of a request (characters of text, elements of a tensor)
   * @param groupOf what a batch must share (the model version)
   */
  public MicroBatcher(BatchingPolicy policy, Clock clock, ToIntFunction<? super T> lengthOf, Function<? super T, ?> groupOf) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lengthOf = Objects.requireNonNull(lengthOf, "lengthOf");
    this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
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

  /** Whether a flush is due: the maximum size is reached or the oldest has waited long enough. */
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
    if (waiting.size() >= policy.maxSize()) {
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

  /** Removes and returns every waiting request, in arrival order. */
  public List<T> drainAll() {
    List<T> items = peekAll();
    waiting.clear();
    size = 0;
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

  /**
   * Cuts requests into model batches: grouped by {@code groupOf} (groups in order of first
   * appearance), each group sorted by length when bucketing is on (stable, so equal lengths keep
   * their arrival order), then split into the fewest contiguous runs of at most {@code maxSize},
   * whose sizes differ by at most one.
   */
  public <U extends T> List<List<U>> cut(Collection<U> items) {
    Map<Object, List<U>> groups = new LinkedHashMap<>();
    for (U item : items) {
      groups.computeIfAbsent(groupOf.apply(item), key -> new ArrayList<>()).add(item);
    }
    List<List<U>> batches = new ArrayList<>();
    for (List<U> group : groups.values()) {
      if (policy.bucketing()) {
        group.sort(Comparator.comparingInt(lengthOf));
      }
      int count = (group.size() + policy.maxSize() - 1) / policy.maxSize();
      int base = group.size() / count;
      int larger = group.size() % count;
      int from = 0;
      for (int i = 0; i < count; i++) {
        int to = from + base + (i < larger ? 1 : 0);
        batches.add(List.copyOf(group.subList(from, to)));
        from = to;
      }
    }
    return batches;
  }
}
