package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice models rollback}: all of a model's traffic back to one version. */
@Command(name = "rollback",
    header = "Give all of a model's traffic to one version.",
    mixinStandardHelpOptions = true,
    description = {"Give all of a model's traffic to one version: --to VERSION, or by default the non-shadow version",
        "deployed last before the version that now has the most traffic (by deployed_at). That version keeps its",
        "weight if above 0, else gets 100; every other non-shadow version gets 0 and stays deployed (requests that",
        "name it still reach it); shadow versions are left alone. Prints what changed and the split."})
final class ModelsRollbackCommand extends TrafficChangeCommand {
  @Option(names = "--to", paramLabel = "VERSION", description = "The version to roll back to (default: see above).")
  String to;

  @Override
  TrafficChange plan(List<ModelDeployment> versions) {
    return TrafficPlan.rollback(model, versions, to);
  }

  @Override
  String verb() {
    return "rolled back";
  }
}
