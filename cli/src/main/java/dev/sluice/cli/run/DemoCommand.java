package dev.sluice.cli.run;

import dev.sluice.stack.PipelineStack;
import dev.sluice.stack.demo.DemoRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice demo}: the whole pipeline, a set of sample requests through it, a summary; exits 0 when all is accounted for. */
@Command(name = "demo",
    header = "Run the pipeline, send sample requests (good, bad, retried, repeated), report every outcome.",
    mixinStandardHelpOptions = true,
    description = {"Start the whole pipeline (as sluice up, on free ports and a fresh data directory unless given),",
        "send sample requests (valid, invalid, a retry, repeated content), wait for every outcome, print a summary, stop.",
        "Exits 0 when every request is accounted for as expected."})
public final class DemoCommand implements Callable<Integer> {
  @Mixin StackOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = options.dataDir == null ? Files.createTempDirectory("sluice-demo") : null;
    // The logs outlive a temporary data directory.
    Path log = LogFile.divert((options.dataDir != null ? options.dataDir : Path.of(".sluice")).resolve("logs").resolve("demo.log"));
    try {
      out.println("Starting Sluice for the demo (logs in " + log + ") ...");
      out.flush();
      try (PipelineStack stack = PipelineStack.start(options.toSettings(scratch, true), out)) {
        StackListing.print(out, stack);
        out.println();
        boolean ok = new DemoRun(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl(), out).run();
        out.println();
        out.println("Stopping ...");
        out.flush();
        return ok ? 0 : 1;
      }
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
