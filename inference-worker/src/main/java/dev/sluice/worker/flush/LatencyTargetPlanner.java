package dev.sluice.worker.flush;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses each flush's delay and size online to hold a latency target ({@code
 * worker.latency.target.ms}): the time a request spends in the worker, from being consumed to its
 * result being committed.
 *
 * <p>The model of that time: a request consumed while a flush is in the model waits for that
 * flush, then for its own flush, then for its own commit, so it spends about t(previous) + t(own)
 * + commit in the worker, where t(n) is the model time of a flush of n requests. The planner fits
 * t(n) = a + c&middot;n by least squares to the flushes it saw (each observation weighing {@value
 * #DECAY} of the next one), averages the commit time, and estimates the arrival rate over about a
 * second. Then:
 *
 * <ul>
 *   <li><b>size</b>: a flush takes at most N requests, the largest n with 2&middot;t(n) + commit
 *       within the target (at least one);
 *   <li><b>delay</b>: with the model idle, a flush is due at once, unless company is expected
 *       within {@link FlushPolicy#maxDelay()} (rate &times; max delay at least one request); then
 *       the oldest request waits for it up to that delay, cut to what the target leaves it;
 *   <li><b>overload</b>: when more than N wait at {@value #OVERLOAD_FLUSHES} flushes in a row, the
 *       arrivals outrun what the target allows and it cannot be held; the planner then flushes
 *       everything waiting, as the static planner does, until a flush finds N or fewer waiting, so
 *       at saturation it loses no throughput to the target.
 * </ul>
 *
 * <p>Until it has seen two flushes it flushes as the static planner. Loop thread only.
 */
public final class LatencyTargetPlanner implements FlushPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(LatencyTargetPlanner.class);
  static final double DECAY = 0.9;
  static final int OVERLOAD_FLUSHES = 3;
  private static final double RATE_WINDOW_NANOS = 1e9;

  private final FlushPolicy policy;
  private final long targetNanos;
  private final Clock clock;
  // Decayed sums of the least-squares fit of model time (ns) against flush size.
  private double weights;
  private double sizes;
  private double times;
  private double sizeSquares;
  private double sizeTimes;
  private int observations;
  private double commitNanos = -1;
  // Arrivals, each decaying with the rate window since it came.
  private double arrivals;
  private Instant arrivalsAt;
  private int overloadStreak;
  private boolean overloaded;

  LatencyTargetPlanner(FlushPolicy policy, Duration target, Clock clock) {
    this.policy = policy;
    this.targetNanos = target.toNanos();
    this.clock = clock;
  }

  @Override
  public void arrived(int count) {
    decayArrivals(clock.instant());
    arrivals += count;
  }

  @Override
  public void answered(int requests, long modelNanos, long commitNanos) {
    weights = weights * DECAY + 1;
    sizes = sizes * DECAY + requests;
    times = times * DECAY + modelNanos;
    sizeSquares = sizeSquares * DECAY + (double) requests * requests;
    sizeTimes = sizeTimes * DECAY + (double) requests * modelNanos;
    observations++;
    this.commitNanos = this.commitNanos < 0 ? commitNanos : 0.8 * this.commitNanos + 0.2 * commitNanos;
  }

  @Override
  public Optional<Duration> untilDue(FlushBuffer<?> waiting) {
    Optional<Instant> oldest = waiting.oldestSince();
    if (oldest.isEmpty() || !learned()) {
      return waiting.untilReady();
    }
    int count = waiting.size();
    if (count >= sizeLimit() || count >= policy.maxRecords()) {
      return Optional.of(Duration.ZERO);
    }
    Instant now = clock.instant();
    double expected = ratePerSecond(now) * policy.maxDelay().toNanos() / 1e9;
    if (expected < 1) {
      return Optional.of(Duration.ZERO);
    }
    double room = budgetNanos() - modelNanos(count + expected);
    long wait = (long) Math.max(0, Math.min(policy.maxDelay().toNanos(), room));
    Duration left = Duration.ofNanos(wait).minus(Duration.between(oldest.get(), now));
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  @Override
  public int flushSize(FlushBuffer<?> waiting) {
    int count = waiting.size();
    if (!learned()) {
      return count;
    }
    int limit = sizeLimit();
    overloadStreak = count > limit ? overloadStreak + 1 : 0;
    boolean now = overloadStreak >= OVERLOAD_FLUSHES;
    if (now != overloaded) {
      overloaded = now;
      if (now) {
        LOG.info("Arrivals outrun the latency target of {} ms (flushes of at most {} requests): flushing everything waiting"
            + " until the backlog clears", targetNanos / 1_000_000, limit);
      } else {
        LOG.info("The backlog cleared: flushes of at most {} requests again, for the latency target of {} ms", limit,
            targetNanos / 1_000_000);
      }
    }
    return overloaded ? count : Math.min(count, limit);
  }

  /** The most requests in one flush that the target allows now; unbounded until learned. */
  int sizeLimit() {
    if (!learned()) {
      return Integer.MAX_VALUE;
    }
    double[] fit = fit();
    if (fit[1] <= 0) {
      return Integer.MAX_VALUE;
    }
    double limit = Math.floor((budgetNanos() - fit[0]) / fit[1] + 1e-9);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit));
  }

  private boolean learned() {
    return observations >= 2;
  }

  /** Half of what the target leaves after the commit: a request waits for two flushes' model time. */
  private double budgetNanos() {
    return (targetNanos - Math.max(0, commitNanos)) / 2.0;
  }

  private double modelNanos(double requests) {
    double[] fit = fit();
    return fit[0] + fit[1] * requests;
  }

  /** {intercept a, slope c} of t(n) = a + c n, both non-negative. */
  private double[] fit() {
    double determinant = weights * sizeSquares - sizes * sizes;
    if (determinant > 1e-9 * weights * sizeSquares) {
      double slope = (weights * sizeTimes - sizes * times) / determinant;
      double intercept = (times - slope * sizes) / weights;
      if (slope >= 0 && intercept >= 0) {
        return new double[] {intercept, slope};
      }
    }
    // One size seen so far, or a noisy fit: model time in proportion to the flush size.
    return new double[] {0, sizeSquares > 0 ? sizeTimes / sizeSquares : 0};
  }

  private double ratePerSecond(Instant now) {
    decayArrivals(now);
    return arrivals * 1e9 / RATE_WINDOW_NANOS;
  }

  private void decayArrivals(Instant now) {
    if (arrivalsAt != null) {
      long elapsed = Duration.between(arrivalsAt, now).toNanos();
      if (elapsed > 0) {
        arrivals *= Math.exp(-elapsed / RATE_WINDOW_NANOS);
      }
    }
    arrivalsAt = now;
  }
}
