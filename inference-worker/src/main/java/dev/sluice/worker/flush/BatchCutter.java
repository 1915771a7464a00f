package dev.sluice.worker.flush;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Cuts a flush into batches, each handed to one model version's runner in one call: grouped by
 * model version (one runner per batch) and, with {@link FlushPolicy#bucketing()} on, each group
 * sorted by input length before it is cut into contiguous runs of at most
 * {@link FlushPolicy#maxRecords()}, of near-equal sizes: a group of 40 with a maximum of 32
 * becomes two batches of 20, the 20 shortest inputs together. Short inputs are then padded only to
 * the longest of their neighbours in length, not to the longest of all. (The runtime may run a
 * batch as several model calls; that is its business.)
 *
 * @param <T> the request type
 */
public final class BatchCutter<T> {
  private final FlushPolicy policy;
  private final ToIntFunction<? super T> lengthOf;
  private final Function<? super T, ?> groupOf;

  /**
   * @param policy the most requests in one batch, and whether to bucket by length
   * @param lengthOf input length of a request (characters of text, elements of a tensor)
   * @param groupOf what a batch must share (the model version)
   */
  public BatchCutter(FlushPolicy policy, ToIntFunction<? super T> lengthOf, Function<? super T, ?> groupOf) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.lengthOf = Objects.requireNonNull(lengthOf, "lengthOf");
    this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
  }

  /**
   * Cuts requests into batches: grouped by {@code groupOf} (groups in order of first appearance),
   * each group sorted by length when bucketing is on (stable, so equal lengths keep their arrival
   * order), then split into the fewest contiguous runs of at most {@code maxRecords}, whose sizes
   * differ by at most one.
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
      int count = (group.size() + policy.maxRecords() - 1) / policy.maxRecords();
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
