package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @Test
  void theRegistryAndTheMonitorServeFromTheirOwnJarsAndStopCleanly(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "jars", TopicSettings.singleBroker(), 0),
            new PrintWriter(log));
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      ChildComponent monitor = ChildComponent.monitor(processes, stack, dir, "jars-monitor-from-jar");
      monitor.start();
      monitor.awaitReady(Duration.ofMinutes(1), () -> { });

      int port = ComponentProcesses.freePort();
      Path registryLog = dir.resolve("registry.log");
      Process registry = processes.start("registry", List.of("--bootstrap-servers", kafka.bootstrapServers(), "--port",
          Integer.toString(port), "--topic", "_schemas_from_jar"), registryLog);
      HttpResponse<String> subjects = awaitAnswer(registry, URI.create("http://localhost:" + port + "/subjects"), registryLog);
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

  private static HttpResponse<String> awaitAnswer(Process child, URI uri, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline && child.isAlive()) {
      try {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = e.toString();
        Thread.sleep(100);
      }
    }
    throw new AssertionError("no answer from " + uri + " (" + last + "); its log:\n" + Files.readString(log));
  }
}
