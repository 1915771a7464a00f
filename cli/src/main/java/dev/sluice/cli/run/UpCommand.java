package dev.sluice.cli.run;

import dev.sluice.stack.PipelineStack;
import dev.sluice.stack.StackSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice up}: the whole pipeline in this process until Ctrl-C. */
@Command(name = "up",
    header = "Run the whole pipeline on this machine (Kafka and the registry embedded unless given one).",
    mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline: Kafka (KRaft) and the schema registry (or an existing cluster with",
        "--bootstrap-servers), the topics, the bundled model (all-MiniLM-L6-v2: fp32 v1 90 %%, quantized v2 10 %%),",
        "the ingress topology and the workers, until Ctrl-C. A second run on the same --data-dir resumes."})
public final class UpCommand implements Callable<Integer> {
  @Mixin StackOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    StackSettings settings = options.toSettings(Path.of(".sluice", "data"), false);
    Path log = LogFile.divert(settings.dataDir().resolve("logs").resolve("sluice.log"));
    out.println("Starting Sluice (logs in " + log + ") ...");
    out.flush();
    PipelineStack stack = PipelineStack.start(settings, out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        out.println("Stopping Sluice ...");
        out.flush();
        stack.close();
        out.println("Stopped.");
        out.flush();
      } finally {
        stopped.countDown();
      }
    }, "sluice-up-shutdown"));
    StackListing.print(out, stack);
    out.println();
    out.println("Try:  echo '{\"model\":\"minilm\",\"text\":\"Kafka keeps the log\"}' | ./sluice send --bootstrap-servers "
        + stack.bootstrapServers() + " --schema-registry-url " + stack.schemaRegistryUrl());
    out.println("      ./sluice tail results --bootstrap-servers " + stack.bootstrapServers() + " --schema-registry-url "
        + stack.schemaRegistryUrl());
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }
}
