package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of a command, as {@code sluice} runs it (with its one-line errors), with
 * what it printed.
 *
 * @param exit the exit status
 * @param out what went to stdout
 * @param err what went to stderr
 */
public record CliRun(int exit, String out, String err) {

  /** Runs the command with the arguments and waits for it to end. */
  public static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = commandLine(command, out, err).execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The command line of a command, printing into the writers. */
  public static CommandLine commandLine(Object command, StringWriter out, StringWriter err) {
    CommandLine cli = new CommandLine(command).setExecutionExceptionHandler(new Sluice.OneLineErrors());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  /** The stdout lines, without blank ones. */
  public List<String> outLines() {
    return out.lines().filter(line -> !line.isBlank()).toList();
  }
}
