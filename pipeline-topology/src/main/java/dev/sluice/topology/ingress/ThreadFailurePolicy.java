package dev.sluice.topology.ingress;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's uncaught-exception handler. A {@link FailureClassifier.Kind#TRANSIENT} failure
 * replaces the stream thread (its tasks restart from the last commit, so exactly-once holds),
 * at most {@link ReplacementBudget#max()} times within {@link ReplacementBudget#window()}; a
 * fatal failure, or a transient one beyond the budget, shuts the client down. Every decision is
 * logged at ERROR with the failure; on shutdown {@code onShutdown} runs once so the application
 * can exit non-zero.
 */
public final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadFailurePolicy.class);

  private final ReplacementBudget budget;
  private final Clock clock;
  private final Runnable onShutdown;
  private final Deque<Long> replacements = new ArrayDeque<>();

  /**
   * Creates the policy.
   *
   * @param budget replacements allowed per window
   * @param clock the clock the window is measured on
   * @param onShutdown run when the policy decides to shut the client down
   */
  public ThreadFailurePolicy(ReplacementBudget budget, Clock clock, Runnable onShutdown) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onShutdown = Objects.requireNonNull(onShutdown, "onShutdown");
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable failure) {
    FailureClassifier.Kind kind = FailureClassifier.classify(failure);
    if (kind == FailureClassifier.Kind.TRANSIENT) {
      int used = tryReplace();
      if (used > 0) {
        LOG.error("Transient failure in a stream thread; replacing the thread ({} of {} replacements within {})",
            used, budget.max(), budget.window(), failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      LOG.error("Transient failure in a stream thread and {} replacements within {} are spent; shutting the ingress down",
          budget.max(), budget.window(), failure);
    } else {
      LOG.error("Fatal failure in a stream thread (a bug or misconfiguration); shutting the ingress down", failure);
    }
    onShutdown.run();
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /** Takes one replacement from the budget; the number used so far, or 0 when it is spent. */
  private synchronized int tryReplace() {
    long now = clock.millis();
    long windowStart = now - budget.window().toMillis();
    while (!replacements.isEmpty() && replacements.peekFirst() <= windowStart) {
      replacements.pollFirst();
    }
    if (replacements.size() >= budget.max()) {
      return 0;
    }
    replacements.addLast(now);
    return replacements.size();
  }
}
