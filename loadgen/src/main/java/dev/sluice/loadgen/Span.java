package dev.sluice.loadgen;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a phase of the bench lasts: a number of requests, or a time. */
public sealed interface Span {
  /** No requests at all (no warmup). */
  Span NONE = new Requests(0);

  /** A phase of {@code count} requests. */
  record Requests(long count) implements Span {
    public Requests {
      if (count < 0) {
        throw new IllegalArgumentException("a request count must be >= 0, got " + count);
      }
    }
  }

  /** A phase lasting {@code duration}. */
  record Time(Duration duration) implements Span {
    public Time {
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a duration must be >= 0, got " + duration);
      }
    }
  }

  /** True for a phase that sends nothing. */
  default boolean isEmpty() {
    return this instanceof Requests r ? r.count() == 0 : ((Time) this).duration().isZero();
  }

  /** A plain number of requests ({@code 1000}) or a duration ({@code 30s}, see {@link #parseDuration}). */
  static Span parse(String text) {
    String t = text.strip();
    if (t.matches("\\d+")) {
      return new Requests(Long.parseLong(t));
    }
    return new Time(parseDuration(t));
  }

  Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or ISO-8601
   * ({@code PT30S}).
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double nanosPerUnit = switch (m.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }
    if (t.startsWith("pt")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        // fall through to the one message below
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 500ms, 30s, 2m or 1h");
  }
}
