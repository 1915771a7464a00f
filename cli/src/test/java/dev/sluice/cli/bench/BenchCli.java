package dev.sluice.cli.bench;

import dev.sluice.cli.Sluice;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code sluice bench} in-process for tests, with Sluice's error handling; its exit status and output. */
public record BenchCli(int exit, String out, String err) {

  /** Runs {@code sluice bench ARGS}. */
  public static BenchCli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand()).setExecutionExceptionHandler(new Sluice.OneLineErrors());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new BenchCli(exit, out.toString(), err.toString());
  }
}
