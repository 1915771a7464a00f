package dev.sluice.cli.models;

import picocli.CommandLine.Command;

/** {@code sluice models}: the model registry on the compacted {@code <prefix>.models} topic. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Manage the model registry (<prefix>.models, compacted, one ModelDeployment per model/version).",
        "Weights are relative: a request that names no version goes to a non-shadow version with probability",
        "weight / sum of the model's non-shadow weights; shadow versions get a copy of every request."},
    subcommands = {ModelsListCommand.class, ModelsDeployCommand.class, ModelsTrafficCommand.class, ModelsRollbackCommand.class})
public final class ModelsCommand {
  ModelsCommand() {}
}
