package dev.sluice.loadgen;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The books of one run: which of its requests are outstanding, which were answered (and how),
 * which were answered twice. Outcomes are matched by request id; ids that are not this run's
 * ({@code <runId>-<index>}) are ignored. Thread-safe: the generator, the producer's callbacks,
 * the outcome reader and the progress line all use it.
 */
public final class Ledger {
  /** How many ids of missing or duplicated requests the summary names. */
  static final int SAMPLE = 10;

  /** How an outcome was matched. */
  public enum Match {
    /** The first outcome of one of this run's requests. */
    FIRST,
    /** A further outcome of a request that already had one. */
    DUPLICATE,
    /** Not one of this run's requests. */
    FOREIGN
  }

  private record Pending(long createdNanos, boolean failed) {}

  private final String idPrefix;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final BitSet answered = new BitSet();
  private final PhaseTally warmup = new PhaseTally();
  private final PhaseTally measured = new PhaseTally();
  private final List<String> duplicateIds = new ArrayList<>();
  private final List<String> sendErrors = new ArrayList<>();
  private long measuredFrom = Long.MAX_VALUE;
  private long outstanding;
  private Runnable onSettled = () -> {};

  /** @param runId the run id every request id starts with */
  public Ledger(String runId) {
    this.idPrefix = runId + "-";
  }

  /** The id of request {@code index}. */
  public String requestId(long index) {
    return idPrefix + index;
  }

  /** Called once per request that gets its first outcome or fails to send (closed loop frees a slot). */
  public synchronized void onSettled(Runnable callback) {
    this.onSettled = callback;
  }

  /** Requests from this index on are measured; those before it are warmup. */
  public synchronized void measuredFrom(long index) {
    measuredFrom = index;
  }

  /** Records request {@code index}, created at {@code createdNanos}, as sent at {@code sentNanos}; call it before sending. */
  public synchronized void sent(long index, long createdNanos, long sentNanos) {
    if (index < 0 || index >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException("request index out of range: " + index);
    }
    pending.put(index, new Pending(createdNanos, false));
    outstanding++;
    tally(index).sent(sentNanos);
  }

  /** Kafka refused or could not deliver request {@code index}. */
  public void sendFailed(long index, Exception error) {
    Runnable callback;
    synchronized (this) {
      Pending p = pending.get(index);
      if (p == null || p.failed()) {
        return;
      }
      pending.put(index, new Pending(p.createdNanos(), true));
      outstanding--;
      if (sendErrors.size() < SAMPLE) {
        sendErrors.add(requestId(index) + ": " + error);
      }
      callback = onSettled;
      notifyAll();
    }
    callback.run();
  }

  /** A result for {@code requestId} was read at {@code seenNanos}. */
  public Match result(String requestId, Status status, boolean cached, long seenNanos) {
    return settle(requestId, seenNanos, (tally, createdNanos) -> tally.result(status, cached, seenNanos - createdNanos, seenNanos));
  }

  /** A rejection for {@code requestId} was read at {@code seenNanos}. */
  public Match rejection(String requestId, ReasonCode reason, long seenNanos) {
    return settle(requestId, seenNanos, (tally, createdNanos) -> tally.rejection(reason, seenNanos));
  }

  private interface Settlement {
    void apply(PhaseTally tally, long createdNanos);
  }

  private Match settle(String requestId, long seenNanos, Settlement settlement) {
    long index = indexOf(requestId);
    if (index < 0) {
      return Match.FOREIGN;
    }
    Runnable callback;
    synchronized (this) {
      if (answered.get((int) index)) {
        tally(index).duplicate();
        if (duplicateIds.size() < SAMPLE) {
          duplicateIds.add(requestId);
        }
        return Match.DUPLICATE;
      }
      Pending p = pending.remove(index);
      if (p == null) {
        return Match.FOREIGN; // an id of this run's shape that was never sent
      }
      answered.set((int) index);
      settlement.apply(tally(index), p.createdNanos());
      callback = p.failed() ? () -> {} : onSettled;
      if (!p.failed()) {
        outstanding--;
      }
      notifyAll();
    }
    callback.run();
    return Match.FIRST;
  }

  /** Waits until no request awaits its outcome, or the timeout passes; true when none does. */
  public synchronized boolean awaitSettled(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    for (long left = timeoutNanos; outstanding > 0 && left > 0; left = deadline - System.nanoTime()) {
      wait(Math.max(1, left / 1_000_000));
    }
    return outstanding == 0;
  }

  /** Requests sent and still without an outcome (send failures not counted). */
  public synchronized long outstanding() {
    return outstanding;
  }

  /** The running figures for the progress line. */
  public synchronized Progress progress() {
    PhaseTally current = measuredFrom == Long.MAX_VALUE ? warmup : measured;
    return new Progress(warmup.sent() + measured.sent(), warmup.outcomes() + measured.outcomes(), current.p99Ms(),
        current == warmup);
  }

  /** The figures so far, with everything still outstanding counted as missing. */
  public synchronized LedgerSummary summary() {
    long[] missing = new long[2];
    long[] failed = new long[2];
    List<String> missingIds = new ArrayList<>();
    pending.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      int phase = e.getKey() >= measuredFrom ? 1 : 0;
      if (e.getValue().failed()) {
        failed[phase]++;
      } else {
        missing[phase]++;
        if (missingIds.size() < SAMPLE) {
          missingIds.add(requestId(e.getKey()));
        }
      }
    });
    return new LedgerSummary(warmup.figures(failed[0], missing[0]), measured.figures(failed[1], missing[1]), missingIds,
        List.copyOf(duplicateIds), List.copyOf(sendErrors));
  }

  /** The running figures shown on the progress line. */
  public record Progress(long sent, long answered, double p99Ms, boolean warmingUp) {}

  private PhaseTally tally(long index) {
    return index >= measuredFrom ? measured : warmup;
  }

  private long indexOf(String requestId) {
    if (requestId == null || !requestId.startsWith(idPrefix) || requestId.length() == idPrefix.length()
        || requestId.length() > idPrefix.length() + 10) {
      return -1;
    }
    long index = 0;
    for (int i = idPrefix.length(); i < requestId.length(); i++) {
      char c = requestId.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      index = index * 10 + (c - '0');
    }
    return index < Integer.MAX_VALUE ? index : -1;
  }
}
