package dev.sluice.cli.models;

import picocli.CommandLine.Command;

/** {@code sluice models}: the model registry on the compacted {@code <prefix>.models} topic. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Manage the model registry (<prefix>.models, compacted, one ModelDeployment per model/version).",
        "Weights are percents: a request that names no version goes to a non-shadow version with probability",
        "weight / 100 (weight / sum of the non-shadow weights for weights written on another scale); shadow versions",
        "get a copy of every request."},
    subcommands = {ModelsListCommand.class, ModelsDeployCommand.class, ModelsUndeployCommand.class, ModelsTrafficCommand.class,
        ModelsRollbackCommand.class})
public final class ModelsCommand {
  ModelsCommand() {}
}
