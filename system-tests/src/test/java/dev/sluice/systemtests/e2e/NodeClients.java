package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's Node scripts (kafkajs and the registry clients in src/test/node), installing the packages first when needed. */
final class NodeClients {
  private static final Path NODE_DIR = Path.of("src/test/node");

  private NodeClients() {}

  static JsonNode run(Duration timeout, String script, String... args) throws IOException, InterruptedException {
    installOnce();
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    String out = exec(command, timeout);
    String last = out.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("node " + script + " printed no JSON report:\n" + out));
    return new ObjectMapper().readTree(last);
  }

  private static synchronized void installOnce() throws IOException, InterruptedException {
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/kafkajs")) || !Files.isDirectory(NODE_DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
    }
  }

  private static String exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("Cannot run " + command.get(0) + ": this test needs Node.js and npm (Node 20; .ci/run installs"
          + " the npm packages with `npm ci` in system-tests/src/test/node)", e);
    }
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroy();
      throw new AssertionError(command + " did not finish within " + timeout);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("exit status of %s; output:%n%s", command, text).isZero();
    return text;
  }
}
