package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.stack.StackPorts;
import dev.sluice.stack.StackSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice up} stopped cleanly after traffic and started again on the same data directory, as
 * a user does with Ctrl-C: ready within 20 s, no task of the Streams applications wiped as
 * corrupted, each model version loaded once.
 */
@Timeout(300)
class CleanRestartTest {
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger fleet = (Logger) LoggerFactory.getLogger("dev.sluice.worker.fleet.ModelFleet");
  private Level fleetLevel;

  @BeforeEach
  void captureLogs() {
    logged.start();
    root.addAppender(logged);
    fleetLevel = fleet.getLevel();
    fleet.setLevel(Level.INFO);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logged);
    fleet.setLevel(fleetLevel);
  }

  @Test
  void aCleanlyStoppedStackRestartsOnItsDataWithin20sWithoutCorruptedTasksLoadingEachVersionOnce(@TempDir Path dir) throws Exception {
    StackSettings settings = new StackSettings(dir.resolve("data"), null, null, Map.of(), "localhost",
        new StackPorts(ComponentProcesses.freePort(), ComponentProcesses.freePort(), 0, 0, 0, 0, 0), "sluice", TopicSettings.singleBroker(), 1);
    StringWriter progress = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(settings, new PrintWriter(progress));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      List<String> ids = traffic.sendSentences("before-", 0, 200);
      traffic.awaitOutcomes(ids, Duration.ofMinutes(2));
    }

    synchronized (logged) {
      logged.list.clear();
    }
    long restartedAt = System.nanoTime();
    try (PipelineStack stack = PipelineStack.start(settings, new PrintWriter(progress))) {
      Duration startToReady = Duration.ofNanos(System.nanoTime() - restartedAt);
      System.out.printf("sluice up restarted on its data: ready in %d ms%n", startToReady.toMillis());
      try (Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
        List<String> ids = traffic.sendSentences("after-", 0, 50);
        traffic.awaitOutcomes(ids, Duration.ofMinutes(1));
        traffic.assertExactlyOnce(ids);
      }
      List<String> messages;
      synchronized (logged) {
        messages = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      }
      assertThat(messages).as("log lines of the restart").noneMatch(message -> message.toLowerCase().contains("corrupt"));
      assertThat(messages.stream().filter(message -> message.startsWith("Loading model minilm version ")))
          .as("model loads at the restart").containsExactlyInAnyOrder("Loading model minilm version v1 from classpath:models/all-minilm-l6-v2",
              "Loading model minilm version v2 from classpath:models/all-minilm-l6-v2-q");
      assertThat(startToReady).as("restart to ready; the stack's output:\n" + progress).isLessThanOrEqualTo(Duration.ofSeconds(20));
    }
  }
}
