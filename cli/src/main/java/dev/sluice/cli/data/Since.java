package dev.sluice.cli.data;

import dev.sluice.platform.TimeAgo;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in time given on the command line ({@link TimeAgo}): a time ago or an ISO-8601 instant. */
final class Since {
  private Since() {}

  /** Parses the text against the clock's now. */
  static Instant parse(String text, Clock clock) {
    try {
      return TimeAgo.parse(text, clock);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
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
