package dev.sluice.preprocessing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The instants a request may carry in {@code created_at} and {@code deadline}: not before
 * {@link #EARLIEST} (2000-01-01T00:00:00Z) and not more than {@code horizon} after the ingress's
 * clock. Outside it a timestamp is a bug or an attack (epoch 0, ±8.64e15 ms, a producer's clock
 * years off) that every later stage would have to survive in its arithmetic; the ingress refuses
 * it with INVALID_TIMESTAMP instead.
 *
 * @param horizon how far after now a timestamp may lie ({@value #HORIZON_CONFIG}, at least 1 ms)
 */
public record TimestampRange(Duration horizon) {
  /** Configuration key of {@link #horizon}. */
  public static final String HORIZON_CONFIG = "ingress.timestamp.horizon.ms";
  /** Default of {@link #horizon}: 7 days. */
  public static final Duration DEFAULT_HORIZON = Duration.ofDays(7);
  /** The earliest instant accepted. */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /** Checks the horizon. */
  public TimestampRange {
    Objects.requireNonNull(horizon, "horizon");
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("Invalid value " + horizon.toMillis() + " for configuration " + HORIZON_CONFIG + ": must be >= 1");
    }
  }

  /** The default range: from 2000 to 7 days ahead. */
  public static TimestampRange defaults() {
    return new TimestampRange(DEFAULT_HORIZON);
  }

  /**
   * Whether an instant lies in the range.
   *
   * @param instant the instant
   * @param now the ingress's current time
   * @return true when it is neither before {@link #EARLIEST} nor beyond now plus the horizon
   */
  public boolean contains(Instant instant, Instant now) {
    return !instant.isBefore(EARLIEST) && !instant.isAfter(latest(now));
  }

  /**
   * Why a field's instant is out of range, or empty when it is in range or absent.
   *
   * @param field the field name, e.g. {@code created_at}
   * @param instant the instant, or null
   * @param now the ingress's current time
   * @return the detail for the dead letter
   */
  public Optional<String> problem(String field, Instant instant, Instant now) {
    if (instant == null || contains(instant, now)) {
      return Optional.empty();
    }
    return Optional.of(field + " " + instant + " (" + instant.toEpochMilli() + " ms since the epoch) is outside the accepted range "
        + EARLIEST + " .. " + latest(now) + " (now plus " + HORIZON_CONFIG + " = " + horizon.toMillis() + ")");
  }

  private Instant latest(Instant now) {
    return now.plus(horizon);
  }
}
