package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

  @Test
  void jsonIsOneObjectPerLineWithTheTimeAsEpochMillisAndAsAnInstant() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("dev.sluice.worker.WorkerApp");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "model {} \"failed\"\nto load",
        new IllegalStateException("no file"), new Object[] {"minilm"});
    event.setTimeStamp(Instant.parse("2026-12-07T21:55:23.852Z").toEpochMilli());
    event.setThreadName("sluice-worker-loader-minilm");

    String line = new String(LogFormat.encoder(context).encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n").doesNotContain("\n\"");
    assertThat(line.strip().lines()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("loggerName").asText()).isEqualTo("dev.sluice.worker.WorkerApp");
    assertThat(json.get("threadName").asText()).isEqualTo("sluice-worker-loader-minilm");
    assertThat(json.get("formattedMessage").asText()).isEqualTo("model minilm \"failed\"\nto load");
    assertThat(json.get("timestamp").asLong()).isEqualTo(Instant.parse("2026-12-07T21:55:23.852Z").toEpochMilli());
    assertThat(json.get("date").asText()).isEqualTo("2026-12-07T21:55:23.852Z");
    assertThat(json.get("throwable").get("message").asText()).isEqualTo("no file");
  }

  @Test
  void plainLinesNameTheTraceAndSpanOnlyWhileTheMdcHoldsThem() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("dev.sluice.Tracer");
    @SuppressWarnings("unchecked")
    Encoder<ILoggingEvent> plain = ((OutputStreamAppender<ILoggingEvent>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .getAppender("STDERR")).getEncoder();
    LoggingEvent traced = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "hello", null, null);
    traced.setMDCPropertyMap(Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));
    LoggingEvent untraced = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "hello", null, null);
    untraced.setMDCPropertyMap(Map.of());

    assertThat(new String(plain.encode(traced), StandardCharsets.UTF_8))
        .endsWith(" dev.sluice.Tracer trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 - hello\n");
    assertThat(new String(plain.encode(untraced), StandardCharsets.UTF_8)).endsWith(" dev.sluice.Tracer - hello\n");
  }

  @Test
  void plainOrUnsetChangesNothingAndAnythingElseIsRefused() {
    LogFormat.apply(Map.of());
    LogFormat.apply(Map.of(LogFormat.VARIABLE, "plain"));

    assertThatThrownBy(() -> LogFormat.apply(Map.of(LogFormat.VARIABLE, "xml")))
        .hasMessage("SLUICE_LOG_FORMAT must be plain or json, got xml");
  }
}
