package dev.sluice.cli.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.LoadState;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.cli.render.Table;
import dev.sluice.platform.AvroJson;
import dev.sluice.platform.models.ModelRegistrySnapshot;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.platform.models.TrafficPlan;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice models list}: the deployed versions, read from the registry topic to its end. */
@Command(name = "list", mixinStandardHelpOptions = true,
    header = "List the deployed model versions and where the workers stand with each.",
    description = {"List the deployed model versions: the registry topic read from the beginning to its end (tombstones",
        "remove a version), with each version's state as its workers report it on <prefix>.model-status: ready on N",
        "workers, loading, failed (the reasons follow the table), or no worker when none serves its model."})
final class ModelsListCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "NAME", description = "Only this model's versions.")
  String model;

  @Option(names = "--json", description = "One JSON object per version (the deployment's fields, its share of the traffic in percent,"
      + " its state and each worker's report) instead of a table.")
  boolean json;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ModelRegistrySnapshot snapshot;
    List<ModelLoadState> states;
    try (ModelRegistrySession registry = ModelRegistrySession.open(cluster, prefix)) {
      snapshot = registry.read(spec.commandLine().getErr());
      states = registry.loadStates(spec.commandLine().getErr());
    }
    List<ModelDeployment> versions = model == null ? snapshot.all() : snapshot.versionsOf(model);
    if (versions.isEmpty()) {
      out.println(model == null ? "no model is deployed; deploy one with ./sluice models deploy" : "model " + model + " has no deployed version");
      out.flush();
      return 0;
    }
    if (json) {
      for (ModelDeployment d : versions) {
        List<ModelLoadState> mine = statesOf(d, states);
        ObjectNode line = AvroJson.of(d);
        line.put("traffic_share", TrafficPlan.shares(snapshot.versionsOf(d.getModel())).getOrDefault(d.getVersion(), 0.0));
        line.put("state", state(mine));
        ArrayNode workers = line.putArray("workers");
        mine.forEach(state -> workers.add(AvroJson.of(state)));
        out.println(line);
      }
      out.flush();
      return 0;
    }
    Table table = new Table("MODEL", "VERSION", "TASK", "ENGINE", "WEIGHT", "TRAFFIC", "SHADOW", "STATE", "ARTIFACT", "DEPLOYED_AT",
        "DESCRIPTION");
    List<String> failures = new ArrayList<>();
    for (ModelDeployment d : versions) {
      double total = snapshot.versionsOf(d.getModel()).stream().filter(TrafficPlan::isActive)
          .mapToDouble(ModelDeployment::getTrafficWeight).sum();
      List<ModelLoadState> mine = statesOf(d, states);
      mine.stream().filter(state -> state.getState() == LoadState.FAILED).forEach(state -> failures.add(
          d.getModel() + "/" + d.getVersion() + " failed on worker " + state.getWorkerId() + ": " + state.getReason()));
      table.row(d.getModel(), d.getVersion(), d.getTask(), engine(d), TrafficChange.weight(d.getTrafficWeight()),
          d.getShadow() ? "copies" : TrafficChange.share(d, total), d.getShadow() ? "yes" : "no", state(mine), d.getArtifactUri(),
          d.getDeployedAt().truncatedTo(ChronoUnit.SECONDS), d.getDescription());
    }
    table.print(out);
    failures.forEach(out::println);
    out.flush();
    return 0;
  }

  /** The workers' reports about this deployment of the version (a report about an earlier deployment of it is left out). */
  private static List<ModelLoadState> statesOf(ModelDeployment d, List<ModelLoadState> states) {
    return states.stream().filter(state -> state.getModel().equals(d.getModel()) && state.getVersion().equals(d.getVersion())
        && state.getDeployedAt().equals(d.getDeployedAt())).toList();
  }

  /** One version's state over its workers: {@code ready}, {@code ready on 2 workers}, {@code loading}, {@code failed on 1 of 2}, {@code no worker}. */
  static String state(List<ModelLoadState> workers) {
    long ready = workers.stream().filter(w -> w.getState() == LoadState.READY).count();
    long failed = workers.stream().filter(w -> w.getState() == LoadState.FAILED).count();
    long loading = workers.size() - ready - failed;
    if (workers.isEmpty()) {
      return "no worker";
    }
    if (failed > 0) {
      return "failed on " + failed + " of " + workers.size();
    }
    if (loading > 0) {
      return ready > 0 ? "ready on " + ready + ", loading on " + loading : "loading";
    }
    return ready == 1 ? "ready" : "ready on " + ready + " workers";
  }

  /** The engine of a version run locally, or its endpoints in order of preference ({@code name=PROTOCOL > ...}). */
  private static String engine(ModelDeployment d) {
    if (d.getEndpoints().isEmpty()) {
      return d.getEngine().name();
    }
    return d.getEndpoints().stream().map(e -> e.getName() + "=" + e.getProtocol()).collect(java.util.stream.Collectors.joining(">"));
  }
}
