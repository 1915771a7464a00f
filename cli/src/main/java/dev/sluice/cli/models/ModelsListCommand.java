package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.cli.render.Table;
import dev.sluice.platform.models.ModelRegistrySnapshot;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice models list}: the deployed versions, read from the registry topic to its end. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the deployed model versions: the registry topic read from the beginning to its end (tombstones remove a version).")
final class ModelsListCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME", description = "Only this model's versions.")
  String model;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ModelRegistrySnapshot snapshot;
    try (ModelRegistrySession registry = ModelRegistrySession.open(cluster, prefix)) {
      snapshot = registry.read(spec.commandLine().getErr());
    }
    List<ModelDeployment> versions = model == null ? snapshot.all() : snapshot.versionsOf(model);
    if (versions.isEmpty()) {
      out.println(model == null ? "no model is deployed; deploy one with ./sluice models deploy" : "model " + model + " has no deployed version");
      out.flush();
      return 0;
    }
    Table table = new Table("MODEL", "VERSION", "TASK", "ENGINE", "WEIGHT", "TRAFFIC", "SHADOW", "ARTIFACT", "DEPLOYED_AT", "DESCRIPTION");
    for (ModelDeployment d : versions) {
      double total = snapshot.versionsOf(d.getModel()).stream().filter(TrafficPlan::isActive)
          .mapToDouble(ModelDeployment::getTrafficWeight).sum();
      table.row(d.getModel(), d.getVersion(), d.getTask(), d.getEngine(), TrafficChange.weight(d.getTrafficWeight()),
          d.getShadow() ? "copies" : TrafficChange.share(d, total), d.getShadow() ? "yes" : "no", d.getArtifactUri(),
          d.getDeployedAt().truncatedTo(ChronoUnit.SECONDS), d.getDescription());
    }
    table.print(out);
    return 0;
  }
}
