package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    // The output goes to a file, so a promtool that hangs is stopped by the timeout below rather
    // than blocking a read of its output for ever.
    Path output = Files.createTempFile("promtool-", ".out");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("promtool is not on the PATH: install Debian's prometheus package "
          + "(apt-get install --no-install-recommends prometheus), as .ci/run does", e);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + text).isZero();
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
