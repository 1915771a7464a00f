package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice models traffic}: new traffic weights for some versions of a model. */
@Command(name = "traffic",
    header = "Set the traffic weights of a model's versions.",
    mixinStandardHelpOptions = true,
    description = {"Set the traffic weights of versions of a model, e.g. --model minilm v1=90 v2=10. Versions not",
        "named keep their weight. Weights are relative (each non-shadow version gets weight / sum); every named",
        "version must be deployed and not a shadow, every weight >= 0, and some non-shadow version must keep a",
        "weight above 0. Rewrites the named versions' deployments (deployed_at unchanged) and prints the split."})
final class ModelsTrafficCommand extends TrafficChangeCommand {
  @Parameters(arity = "1..*", paramLabel = "VERSION=WEIGHT", description = "New weights.")
  Map<String, Double> weights = new LinkedHashMap<>();

  @Override
  TrafficChange plan(List<ModelDeployment> versions) {
    return TrafficPlan.reweigh(model, versions, weights);
  }

  @Override
  String verb() {
    return "weights";
  }
}
