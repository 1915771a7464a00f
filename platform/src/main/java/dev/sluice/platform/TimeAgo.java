package dev.sluice.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as people give it to the commands and the MCP tools: a time ago ({@code 30s},
 * {@code 5m}, {@code 2h}, {@code 1d}) or an ISO-8601 instant.
 */
public final class TimeAgo {
  private static final Pattern AGO = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private TimeAgo() {}

  /**
   * Parses the text against the clock's now.
   *
   * @throws IllegalArgumentException saying what is accepted, when the text is neither
   */
  public static Instant parse(String text, Clock clock) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    Matcher ago = AGO.matcher(trimmed);
    if (ago.matches()) {
      return clock.instant().minus(duration(Long.parseLong(ago.group(1)), ago.group(2)));
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is neither a time ago (30s, 5m, 2h, 1d) nor an ISO-8601 instant"
          + " (2026-12-07T21:00:00Z)", e);
    }
  }

  private static Duration duration(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
