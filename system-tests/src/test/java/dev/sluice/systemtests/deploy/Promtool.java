package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool} (Debian's {@code prometheus} package, which {@code .ci/run} installs), run in a directory. */
final class Promtool {
  private Promtool() {}

  /** Runs {@code promtool args...} in {@code dir}, asserts it succeeded and returns its output. */
  static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("promtool is not on the PATH: install Debian's prometheus package "
          + "(apt-get install --no-install-recommends prometheus), as .ci/run does", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + output).isZero();
    return output;
  }
}
