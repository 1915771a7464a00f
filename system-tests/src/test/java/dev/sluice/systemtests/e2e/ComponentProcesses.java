package dev.sluice.systemtests.e2e;

import dev.sluice.cli.Sluice;
import dev.sluice.systemtests.DeployableJars;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Sluice components ({@code sluice worker}, {@code sluice ingress}) run as child JVMs from the jars
 * their images run ({@link DeployableJars}), so a test can kill one with SIGKILL and start it again;
 * a command without a jar of its own runs on this test's class path. Every child is killed on
 * {@link #close()}.
 */
final class ComponentProcesses implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Path dir;
  private final List<Process> children = new ArrayList<>();

  /** @param dir where configuration files, logs and the children's temporary files go */
  ComponentProcesses(Path dir) {
    this.dir = dir;
  }

  /** A port free now, for a child's operations HTTP server. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Writes {@code properties} to {@code <name>.properties} in the directory; returns the file. */
  Path configFile(String name, Map<String, String> properties) throws IOException {
    Properties file = new Properties();
    file.putAll(properties);
    Path path = dir.resolve(name + ".properties");
    try (Writer writer = Files.newBufferedWriter(path)) {
      file.store(writer, name + " under a failure test");
    }
    return path;
  }

  /**
   * Starts {@code sluice <command> --config <config>} in a child JVM, its output appended to {@code log}.
   *
   * @return the child
   */
  Process start(String command, Path config, Path log) throws IOException {
    return start(command, List.of("--config", config.toString()), log);
  }

  /**
   * Starts {@code sluice <command> <args>} in a child JVM, from the command's own jar when it has one,
   * its output appended to {@code log}.
   *
   * @return the child
   */
  Process start(String command, List<String> args, Path log) throws IOException {
    return start(command, args, log, Map.of());
  }

  /**
   * As {@link #start(String, List, Path)}, with extra environment variables for the child.
   *
   * @return the child
   */
  Process start(String command, List<String> args, Path log, Map<String, String> environment) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> line = new ArrayList<>(List.of(java, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro", "-Dai.djl.offline=true",
        "-Djava.io.tmpdir=" + dir));
    if (DeployableJars.has(command)) {
      line.addAll(List.of("-jar", DeployableJars.of(command).toString()));
    } else {
      line.addAll(List.of("-cp", System.getProperty("java.class.path"), Sluice.class.getName()));
    }
    line.add(command);
    line.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(line);
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(key -> key.startsWith("SLUICE"));
    builder.environment().putAll(environment);
    Process child = builder.start();
    children.add(child);
    return child;
  }

  /** Kills a child with SIGKILL and waits for it to be gone. */
  static void kill(Process child) throws InterruptedException {
    child.destroyForcibly().waitFor();
  }

  /**
   * Polls {@code http://localhost:<port>/health/ready} until it answers 200, running
   * {@code meanwhile} between the probes (a test reads its outcomes there, so their arrival
   * times stay true while it waits).
   *
   * @throws AssertionError when the child died or was not ready within the timeout, with the last probe's failure
   */
  static void awaitReady(Process child, int port, Duration timeout, Runnable meanwhile) {
    awaitAnswer(child, URI.create("http://localhost:" + port + "/health/ready"), timeout, response -> response.statusCode() == 200,
        meanwhile);
  }

  /**
   * Polls {@code uri} until an answer satisfies {@code done}, running {@code meanwhile} between the probes.
   *
   * @return that answer
   * @throws AssertionError when the child died or no such answer came within the timeout, with the last probe's failure
   */
  static HttpResponse<String> awaitAnswer(Process child, URI uri, Duration timeout, Predicate<HttpResponse<String>> done,
      Runnable meanwhile) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline && child.isAlive()) {
      try {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (done.test(response)) {
          return response;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + uri, e);
      }
      meanwhile.run();
    }
    throw new AssertionError((child.isAlive() ? "no answer within " + timeout : "exited with " + child.exitValue())
        + " from " + uri + "; last probe: " + last);
  }

  /** Kills every child and waits for each to be gone, so none outlives the test's directory. */
  @Override
  public void close() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly().waitFor();
    }
  }
}
