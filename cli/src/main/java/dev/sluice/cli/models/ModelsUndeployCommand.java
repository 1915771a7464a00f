package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.platform.UserError;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.platform.models.TrafficPlan;
import dev.sluice.schemas.topics.ModelKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice models undeploy}: a tombstone for one version; the others share its traffic. */
@Command(name = "undeploy",
    header = "Undeploy a model version from the model registry.",
    description = {"Undeploy a model version: write a tombstone under model/version. The ingress stops routing to it and",
        "rejects requests that name it (UNKNOWN_MODEL); workers answer the requests they already consumed",
        "for it, give later ones an ERROR result, and unload it. Its traffic goes to the model's other versions in",
        "proportion to their shares. Refused when it is the only version with traffic while others stay deployed:",
        "give one of them traffic first."})
final class ModelsUndeployCommand implements Callable<Integer> {
  // Not mixinStandardHelpOptions: its -V/--version would clash with --version below.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
  String model;

  @Option(names = "--version", required = true, paramLabel = "VERSION", description = "The version to undeploy.")
  String version;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (ModelRegistrySession registry = ModelRegistrySession.open(cluster, prefix)) {
      List<ModelDeployment> versions = registry.versionsOf(model, spec.commandLine().getErr());
      TrafficChange change;
      try {
        change = TrafficPlan.undeploy(model, versions, version);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), e);
      }
      registry.write(change.changed(), List.of(new ModelKey(model, version)));
      out.printf("undeployed %s/%s%n", model, version);
      out.printf("%s traffic: %s%n", model, change.after().isEmpty() ? "no version deployed" : change.split());
      out.flush();
    }
    return 0;
  }
}
