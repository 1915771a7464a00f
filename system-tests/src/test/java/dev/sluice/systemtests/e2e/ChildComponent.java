package dev.sluice.systemtests.e2e;

import dev.sluice.stack.PipelineStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One Sluice component ({@code sluice worker}, {@code ingress} or {@code monitor}) of a test's stack, run as
 * a child process with a fixed configuration and port, so a test can kill it and start it again.
 */
final class ChildComponent {
  private final ComponentProcesses processes;
  private final String command;
  private final Path config;
  private final Path logFile;
  private final int port;
  private Process current;

  private ChildComponent(ComponentProcesses processes, String command, Path config, Path logFile, int port) {
    this.processes = processes;
    this.command = command;
    this.config = config;
    this.logFile = logFile;
    this.port = port;
  }

  static ChildComponent worker(ComponentProcesses processes, PipelineStack stack, Path dir, String id) throws Exception {
    int port = ComponentProcesses.freePort();
    Map<String, String> props = base(stack);
    props.put("worker.model", "minilm");
    props.put("worker.id", id);
    props.put("worker.group.id", stack.topics().prefix() + "-worker-minilm");
    props.put("worker.http.port", Integer.toString(port));
    props.put("worker.model.scratch.dir", dir.resolve("scratch-" + id).toString());
    return new ChildComponent(processes, "worker", processes.configFile(id, props), dir.resolve(id + ".log"), port);
  }

  static ChildComponent ingress(ComponentProcesses processes, PipelineStack stack, Path dir) throws Exception {
    int port = ComponentProcesses.freePort();
    Map<String, String> props = base(stack);
    props.put("application.id", stack.topics().prefix() + "-ingress");
    props.put("state.dir", dir.resolve("ingress-state").toString());
    props.put("ingress.http.port", Integer.toString(port));
    return new ChildComponent(processes, "ingress", processes.configFile("ingress", props), dir.resolve("ingress.log"), port);
  }

  static ChildComponent monitor(ComponentProcesses processes, PipelineStack stack, Path dir, String applicationId) throws Exception {
    int port = ComponentProcesses.freePort();
    Map<String, String> props = base(stack);
    props.put("application.id", applicationId);
    props.put("state.dir", dir.resolve(applicationId + "-state").toString());
    props.put("monitor.http.port", Integer.toString(port));
    return new ChildComponent(processes, "monitor", processes.configFile(applicationId, props), dir.resolve(applicationId + ".log"), port);
  }

  private static Map<String, String> base(PipelineStack stack) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", stack.bootstrapServers());
    props.put("schema.registry.url", stack.schemaRegistryUrl());
    props.put("topic.prefix", stack.topics().prefix());
    return props;
  }

  void start() throws Exception {
    current = processes.start(command, config, logFile);
  }

  Process process() {
    return current;
  }

  /** Starts the component again and waits (up to a minute) until it is ready; returns how long that took. */
  Duration restartUntilReady(Runnable meanwhile) throws Exception {
    long restartedAt = System.nanoTime();
    start();
    awaitReady(Duration.ofMinutes(1), meanwhile);
    return Duration.ofNanos(System.nanoTime() - restartedAt);
  }

  void awaitReady(Duration timeout, Runnable meanwhile) throws Exception {
    try {
      ComponentProcesses.awaitReady(current, port, timeout, meanwhile);
    } catch (AssertionError e) {
      throw new AssertionError(command + ": " + e.getMessage() + "; its log:\n" + log(), e);
    }
  }

  String log() throws Exception {
    return Files.exists(logFile) ? Files.readString(logFile) : "(no log)";
  }
}
