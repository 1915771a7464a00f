package dev.sluice.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code SLUICE_LOG_FORMAT=json}: every log line on stderr becomes one JSON object (logback's own
 * {@link JsonEncoder}: level, logger, thread, formatted message, MDC, exception) with the time
 * both as epoch milliseconds ({@code timestamp}) and as an ISO-8601 instant ({@code date}), for
 * log shippers; unset or {@code plain} keeps the plain lines.
 */
public final class LogFormat {
  /** The environment variable that chooses the format. */
  public static final String VARIABLE = "SLUICE_LOG_FORMAT";

  private LogFormat() {}

  /** Applies {@value #VARIABLE} from the process's environment; says what is wrong on stderr and returns false when it is invalid. */
  public static boolean applyFromEnvironment() {
    try {
      apply(System.getenv());
      return true;
    } catch (IllegalArgumentException e) {
      System.err.println("sluice: " + e.getMessage());
      return false;
    }
  }

  /** Applies the format the environment asks for to the console appender; an unknown value is a one-line error. */
  public static void apply(Map<String, String> environment) {
    String format = environment.getOrDefault(VARIABLE, "plain").trim().toLowerCase(Locale.ROOT);
    if (format.isEmpty() || format.equals("plain")) {
      return;
    }
    if (!format.equals("json")) {
      throw new IllegalArgumentException(VARIABLE + " must be plain or json, got " + environment.get(VARIABLE));
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Appender<ILoggingEvent> console = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    if (console instanceof OutputStreamAppender<ILoggingEvent> stream) {
      stream.stop();
      stream.setEncoder(encoder(context));
      stream.start();
    }
  }

  /** The encoder {@code json} uses. */
  static JsonEncoder encoder(LoggerContext context) {
    DatedJsonEncoder encoder = new DatedJsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }

  /** logback's JSON encoder with the time as an ISO-8601 instant too. */
  private static final class DatedJsonEncoder extends JsonEncoder {
    @Override
    protected void appendCustomFields(StringBuilder json, ILoggingEvent event) {
      json.append(",\"date\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
    }
  }
}
