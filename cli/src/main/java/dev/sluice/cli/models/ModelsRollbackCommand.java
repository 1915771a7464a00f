package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.platform.models.TrafficPlan;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice models rollback}: a model's split back to what it was before its last change, or all of it to one version. */
@Command(name = "rollback",
    header = "Restore a model's split before its last traffic change, or give all traffic to one version.",
    mixinStandardHelpOptions = true,
    description = {"Restore the split of a model's traffic before its last change (by models traffic, deploy --weight,",
        "undeploy or rollback, each of which records every version's share before it); a version deployed since",
        "gets 0, and rolling back twice undoes the rollback. With --to VERSION, give that version 100 and every",
        "other non-shadow version 0 (they stay deployed; requests that name them still reach them). Shadow",
        "versions are left alone. Prints what changed and the split."})
final class ModelsRollbackCommand extends TrafficChangeCommand {
  @Option(names = "--to", paramLabel = "VERSION", description = "The version to give all traffic (default: the split before the last change).")
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
