package dev.sluice.systemtests.e2e;

import dev.sluice.stack.PipelineStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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

  private final Map<String, String> environment;

  private ChildComponent(ComponentProcesses processes, String command, Path config, Path logFile, int port) {
    this(processes, command, config, logFile, port, Map.of());
  }

  private ChildComponent(ComponentProcesses processes, String command, Path config, Path logFile, int port, Map<String, String> environment) {
    this.processes = processes;
    this.command = command;
    this.config = config;
    this.logFile = logFile;
    this.port = port;
    this.environment = Map.copyOf(environment);
  }

  static ChildComponent worker(ComponentProcesses processes, PipelineStack stack, Path dir, String id) throws Exception {
    return worker(processes, stack, dir, id, "minilm", Map.of());
  }

  /** A worker of the model, with extra environment variables (an endpoint's API key). */
  static ChildComponent worker(ComponentProcesses processes, PipelineStack stack, Path dir, String id, String model,
      Map<String, String> environment) throws Exception {
    int port = ComponentProcesses.freePort();
    Map<String, String> props = base(stack);
    props.put("worker.model", model);
    props.put("worker.id", id);
    props.put("worker.group.id", stack.topics().prefix() + "-worker-" + model);
    props.put("worker.http.port", Integer.toString(port));
    props.put("worker.model.scratch.dir", dir.resolve("scratch-" + id).toString());
    return new ChildComponent(processes, "worker", processes.configFile(id, props), dir.resolve(id + ".log"), port, environment);
  }

  /**
   * A gateway on loopback: its API on {@code apiPort}, health on a port of its own, owning the
   * replies' partition {@code replyPartition}, with the given extra settings (keys).
   */
  static ChildComponent gateway(ComponentProcesses processes, PipelineStack stack, Path dir, String id, int apiPort, int replyPartition,
      Map<String, String> settings) throws Exception {
    int port = ComponentProcesses.freePort();
    Map<String, String> props = base(stack);
    props.put("gateway.host", "127.0.0.1");
    props.put("gateway.port", Integer.toString(apiPort));
    props.put("gateway.ops.port", Integer.toString(port));
    props.put("gateway.reply.partition", Integer.toString(replyPartition));
    props.putAll(settings);
    return new ChildComponent(processes, "gateway", processes.configFile(id, props), dir.resolve(id + ".log"), port);
  }

  /** The port of its operations server: metrics and health. */
  int port() {
    return port;
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
    current = processes.start(command, List.of("--config", config.toString()), logFile, environment);
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
