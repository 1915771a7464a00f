package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.platform.models.TrafficChange;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code sluice models traffic} and {@code rollback} share: read the model's versions, work
 * out the change (the rules' refusals become one line), write the versions whose weight changed
 * and print what changed and the resulting split.
 */
abstract class TrafficChangeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
  String model;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  /** The change to the model's deployed versions; an IllegalArgumentException when it cannot be made. */
  abstract TrafficChange plan(List<ModelDeployment> versions);

  /** What the change is called in the output, e.g. {@code rolled back}. */
  abstract String verb();

  @Override
  public Integer call() throws InterruptedException {
    try (ModelRegistrySession registry = ModelRegistrySession.open(cluster, prefix)) {
      List<ModelDeployment> versions = registry.versionsOf(model, spec.commandLine().getErr());
      registry.apply(() -> plan(versions), verb(), spec.commandLine().getOut());
    }
    return 0;
  }
}
