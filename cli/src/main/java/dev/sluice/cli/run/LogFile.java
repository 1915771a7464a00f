package dev.sluice.cli.run;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where the commands that run a whole local pipeline ({@code up}, {@code demo}, {@code broker})
 * put their logs: in a file under the data directory, so that the terminal shows what the user
 * asked for (addresses, progress, the demo's summary). The console keeps Sluice's own warnings
 * and errors. The components run alone ({@code ingress}, {@code worker}, ...) keep logging to
 * stderr, where containers and supervisors collect it.
 */
final class LogFile {
  private static final String CONSOLE = "STDERR";
  private static final String FILE = "FILE";

  private LogFile() {}

  /**
   * Sends every log line to {@code file} (appending; its directory is created) and keeps on the
   * console only WARN and ERROR lines of Sluice's own loggers.
   *
   * @return the file, for the command to print
   */
  static Path divert(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return file;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(FILE) != null) {
      return file;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36}"
        + "%replace( trace_id=%X{trace_id} span_id=%X{span_id}){'^ trace_id= span_id=$', ''} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName(FILE);
    appender.setFile(file.toAbsolutePath().toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
    if (console != null) {
      console.addFilter(new OwnWarnings());
    }
    root.addAppender(appender);
    return file;
  }

  /** On the console: WARN and above from {@code dev.sluice} loggers only. */
  private static final class OwnWarnings extends Filter<ILoggingEvent> {
    OwnWarnings() {
      start();
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
      return event.getLevel().isGreaterOrEqual(Level.WARN) && event.getLoggerName().startsWith("dev.sluice") ? FilterReply.NEUTRAL
          : FilterReply.DENY;
    }
  }
}
