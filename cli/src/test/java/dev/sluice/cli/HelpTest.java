package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help} on every command and subcommand exits 0 and prints that command's usage, and
 * nothing else: no missing-option error, no warning of picocli's about the text.
 */
class HelpTest {

  @Test
  void everyCommandsHelpExitsZeroWithItsUsageAndNoWarning() {
    List<List<String>> paths = new ArrayList<>();
    collect(Sluice.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(20);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CommandLine cli = Sluice.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      PrintStream stderr = System.err;
      ByteArrayOutputStream tracer = new ByteArrayOutputStream();
      int exit;
      System.setErr(new PrintStream(tracer, true, StandardCharsets.UTF_8));
      try {
        exit = cli.execute(args.toArray(String[]::new));
      } finally {
        System.setErr(stderr);
      }
      String what = "sluice " + String.join(" ", args);
      assertThat(exit).as(what + ": " + err).isZero();
      assertThat(out.toString()).as(what).contains("Usage: " + String.join(" ", prefixed(path)));
      assertThat(err.toString()).as(what + " prints nothing on stderr").isEmpty();
      assertThat(tracer.toString(StandardCharsets.UTF_8)).as(what + " makes picocli warn").isEmpty();
    }
  }

  @Test
  void everyCommandListsItselfWithAWholeSentence() {
    List<List<String>> paths = new ArrayList<>();
    collect(Sluice.commandLine(), new ArrayList<>(), paths);
    for (List<String> path : paths) {
      CommandLine command = Sluice.commandLine();
      for (String name : path) {
        command = command.getSubcommands().get(name);
      }
      CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
      String summary = usage.header().length > 0 ? usage.header()[0] : usage.description().length > 0 ? usage.description()[0] : "";
      assertThat(summary).as("the line sluice %s is listed with", String.join(" ", path)).endsWith(".");
    }
  }

  private static List<String> prefixed(List<String> path) {
    List<String> words = new ArrayList<>(List.of("sluice"));
    words.addAll(path);
    return words;
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      List<String> next = new ArrayList<>(path);
      next.add(name);
      collect(sub, next, paths);
    });
  }
}
