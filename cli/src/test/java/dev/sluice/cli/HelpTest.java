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
    List<List<String>> paths = commandPaths();
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
    for (List<String> path : commandPaths()) {
      CommandLine command = command(path);
      CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
      String summary = usage.header().length > 0 ? usage.header()[0] : usage.description().length > 0 ? usage.description()[0] : "";
      assertThat(summary).as("the line sluice %s is listed with", String.join(" ", path)).endsWith(".");
    }
  }

  @Test
  void everyHelpShowsTheDefaultsOfItsOptionsAndNoEmptyOnes() {
    for (List<String> path : commandPaths()) {
      CommandLine command = command(path);
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      String what = "sluice " + String.join(" ", path) + " --help";
      assertThat(help.replaceAll("\\s+", " ")).as(what).doesNotContain("Default: []").doesNotContain("Default: {}").doesNotContain("Default: null");
      for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
        String value = option.defaultValueString(true);
        if (option.arity().max() > 0 && value != null && !value.equals("null") && !value.equals("[]") && !value.equals("{}")) {
          assertThat(help).as(what + " shows the default of " + option.longestName()).contains("Default: " + value);
        }
      }
    }
  }

  @Test
  void upsHelpGivesEveryPortsDefault() {
    String help = Sluice.commandLine().getSubcommands().get("up").getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");

    for (String port : List.of("9092", "8081", "8090", "8091", "8092", "8093", "8080")) {
      assertThat(help).contains("(default: " + port + ", for demo");
    }
    assertThat(help).contains("Default: localhost").contains("(default: .sluice/data, for demo a fresh temporary one)");
  }

  /**
   * A command's description reads as paragraphs wrapped to the width: no line ends where the next
   * line's first word would still have fitted on it (as when each source line printed as its own).
   */
  @Test
  void descriptionsWrapAsParagraphs() {
    for (List<String> path : commandPaths()) {
      CommandLine command = command(path);
      CommandLine.Help help = command.getHelp();
      int width = command.getCommandSpec().usageMessage().width();
      String[] lines = help.description().split("\\R");
      for (int i = 0; i + 1 < lines.length; i++) {
        String next = lines[i + 1].strip();
        if (lines[i].isBlank() || next.isEmpty()) {
          continue;
        }
        String firstWord = next.split(" ")[0];
        assertThat(lines[i].stripTrailing().length() + 1 + firstWord.length()).as("sluice %s --help: '%s' then '%s'",
            String.join(" ", path), lines[i], lines[i + 1]).isGreaterThanOrEqualTo(width);
      }
    }
  }

  /** The word paths of every command and subcommand, the top level's (empty) first. */
  private static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(Sluice.commandLine(), new ArrayList<>(), paths);
    return paths;
  }

  /** The command at this path of a fresh command line. */
  private static CommandLine command(List<String> path) {
    CommandLine command = Sluice.commandLine();
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    return command;
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
