package dev.sluice.cli.data;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in time given on the command line: a time ago ({@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) or an ISO-8601 instant. */
final class Since {
  private static final Pattern AGO = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Since() {}

  /** Parses the text against the clock's now. */
  static Instant parse(String text, Clock clock) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    Matcher ago = AGO.matcher(trimmed);
    if (ago.matches()) {
      long amount = Long.parseLong(ago.group(1));
      Duration back = switch (ago.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return clock.instant().minus(back);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + text + "' is neither a time ago (30s, 5m, 2h, 1d) nor an ISO-8601 instant"
          + " (2026-12-07T21:00:00Z)");
    }
  }

  /** picocli's converter: against the system clock. */
  static final class Converter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      return parse(value, Clock.systemUTC());
    }
  }
}
