package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry and the monitor started from their own image jars on a real broker, as their
 * containers start them (the ingress and the worker run from theirs in {@link FailoverTest} and
 * {@link WorkerCrashTest}): each serves, and stops on SIGTERM through its shutdown hook.
 */
@RealKafka(schemaRegistry = true)
class RunnableJarsTest {
  @Test
  void theRegistryAndTheMonitorServeFromTheirOwnJarsAndStopCleanly(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "jars", TopicSettings.singleBroker(), 0),
            new PrintWriter(log));
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      ChildComponent monitor = ChildComponent.monitor(processes, stack, dir, "jars-monitor-from-jar");
      monitor.start();
      monitor.awaitReady(Duration.ofMinutes(1), RunnableJarsTest::pause);

      int port = ComponentProcesses.freePort();
      Path registryLog = dir.resolve("registry.log");
      Process registry = processes.start("registry", List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port",
          Integer.toString(port), "--topic", "_schemas_from_jar"), registryLog);
      HttpResponse<String> subjects;
      try {
        subjects = ComponentProcesses.awaitAnswer(registry, URI.create("http://localhost:" + port + "/subjects"), Duration.ofMinutes(1),
            response -> true, RunnableJarsTest::pause);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; its log:\n" + Files.readString(registryLog), e);
      }
      assertThat(subjects.statusCode()).isEqualTo(200);
      assertThat(subjects.body().strip()).isEqualTo("[]");

      for (Process child : List.of(monitor.process(), registry)) {
        child.destroy();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (the components' clean close) and exited on the signal
        assertThat(child.exitValue()).as("stopped by SIGTERM, not by a failure").isEqualTo(143);
      }
      assertThat(Files.readString(dir.resolve("jars-monitor-from-jar.log")))
          .contains("state RUNNING -> PENDING_SHUTDOWN").contains("state PENDING_SHUTDOWN -> NOT_RUNNING");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
