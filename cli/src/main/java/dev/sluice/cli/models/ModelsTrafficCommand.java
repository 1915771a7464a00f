package dev.sluice.cli.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.platform.models.TrafficPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice models traffic}: new traffic weights for some versions of a model. */
@Command(name = "traffic",
    header = "Set the traffic weights of a model's versions.",
    mixinStandardHelpOptions = true,
    description = {"Set the traffic weights of versions of a model, in percent, e.g. --model minilm v1=90 v2=10. When",
        "the named weights add up to 100, the model's other non-shadow versions get 0; when to less, the other",
        "versions with traffic share the rest as they share traffic now. Every named version must be deployed and",
        "not a shadow. Rewrites the versions' deployments (deployed_at unchanged), each recording its share before",
        "the change for ./sluice models rollback, and prints the split."})
final class ModelsTrafficCommand extends TrafficChangeCommand {
  @Parameters(arity = "1..*", paramLabel = "VERSION=WEIGHT", description = "New weights, percents from 0 to 100.",
      showDefaultValue = CommandLine.Help.Visibility.NEVER)
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
