package dev.sluice.worker.remote;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker of one endpoint. Closed, calls go through; after {@code failuresToOpen}
 * failed calls in a row (5xx, timeouts, refused connections) it opens and refuses calls for
 * {@code openFor}; then it is half-open and lets one probe call through: a success closes it, a
 * failure opens it again for another {@code openFor}. A call the server answered, even with a 4xx
 * for a bad input, is a success: the server is up. Thread-safe.
 */
final class CircuitBreaker {
  /** Where a breaker stands; the ordinal is the value of its gauge. */
  enum State {
    CLOSED, HALF_OPEN, OPEN
  }

  private final int failuresToOpen;
  private final Duration openFor;
  private final Clock clock;
  private int failuresInARow;
  private Instant openedAt;
  private boolean probing;

  CircuitBreaker(int failuresToOpen, Duration openFor, Clock clock) {
    if (failuresToOpen < 1) {
      throw new IllegalArgumentException("breaker_failures must be at least 1, was " + failuresToOpen);
    }
    if (openFor.isNegative()) {
      throw new IllegalArgumentException("breaker_open_ms must not be negative, was " + openFor.toMillis());
    }
    this.failuresToOpen = failuresToOpen;
    this.openFor = openFor;
    this.clock = clock;
  }

  /**
   * Whether a call may go through now. When the breaker is half-open, only the first caller is let
   * through (the probe) until it reports.
   */
  synchronized boolean allow() {
    State state = state();
    if (state == State.CLOSED) {
      return true;
    }
    if (state == State.HALF_OPEN && !probing) {
      probing = true;
      return true;
    }
    return false;
  }

  /** A call was answered: the breaker closes. */
  synchronized void succeeded() {
    failuresInARow = 0;
    openedAt = null;
    probing = false;
  }

  /** A call failed; returns whether the breaker is open now. */
  synchronized boolean failed() {
    failuresInARow++;
    if (probing || failuresInARow >= failuresToOpen) {
      openedAt = clock.instant();
      probing = false;
      return true;
    }
    return false;
  }

  /** A call let through ended without a verdict on the endpoint (cut short by a deadline, or never sent). */
  synchronized void abandoned() {
    probing = false;
  }

  /** Where the breaker stands now. */
  synchronized State state() {
    if (openedAt == null) {
      return State.CLOSED;
    }
    return clock.instant().isBefore(openedAt.plus(openFor)) ? State.OPEN : State.HALF_OPEN;
  }

  /** When an open breaker lets its next probe through, or null when it is not open. */
  synchronized Instant reopensAt() {
    return state() == State.OPEN ? openedAt.plus(openFor) : null;
  }
}
