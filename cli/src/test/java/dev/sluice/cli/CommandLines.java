package dev.sluice.cli;

import dev.sluice.cli.run.ComponentCommand;
import dev.sluice.schemas.config.ConfigSources;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The sluice command line as deploy/ invokes it: which command a container's arguments run, what
 * settings a component command hands its application for a given environment, and which
 * environment variables a command reads. For the deploy/ manifests test, which lives outside this
 * package; it goes through the same parsing and the same settings code as a real start.
 */
public final class CommandLines {
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

  private CommandLines() {}

  /**
   * Parses a container's arguments as {@code sluice} would.
   *
   * @return the command that would run
   * @throws CommandLine.ParameterException for an unknown command or option
   */
  public static CommandLine parse(List<String> args) {
    ParseResult result = Sluice.commandLine().parseArgs(args.toArray(String[]::new));
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return result.commandSpec().commandLine();
  }

  /** The command's name path, e.g. {@code "models deploy"}. */
  public static String commandName(CommandLine command) {
    return command.getCommandSpec().qualifiedName(" ").substring("sluice ".length());
  }

  /** Whether the command is one of the components that read SLUICE_* settings (ingress, monitor, worker). */
  public static boolean isComponent(CommandLine command) {
    return command.getCommand() instanceof ComponentCommand;
  }

  /**
   * The settings a component command hands its application, for this environment.
   *
   * @throws IllegalArgumentException for a command that is not a component
   */
  public static Map<String, String> componentSettings(CommandLine command, Map<String, String> environment) {
    if (command.getCommand() instanceof ComponentCommand component) {
      return component.settings(environment);
    }
    throw new IllegalArgumentException(commandName(command) + " is not a component command");
  }

  /**
   * Whether the command reads this environment variable at all: the components every variable
   * that names a setting (schemas ConfigSources); the other commands the variables their options
   * default to, and SLUICE_KAFKA_* where they take the cluster options.
   */
  public static boolean readsVariable(CommandLine command, String variable) {
    if (isComponent(command)) {
      return ConfigSources.keyOf(variable) != null;
    }
    CommandSpec spec = command.getCommandSpec();
    for (OptionSpec option : uninterpolated(command).options()) {
      String declared = option.defaultValue();
      if (declared != null) {
        Matcher matcher = ENV_DEFAULT.matcher(declared);
        while (matcher.find()) {
          if (matcher.group(1).equals(variable)) {
            return true;
          }
        }
      }
    }
    boolean clusterClient = spec.mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof ClusterOptions);
    return clusterClient && !ConfigSources.kafkaClientKeys(Map.of(variable, "")).isEmpty();
  }

  /** The same command in a command line that leaves ${env:...} in default values as written. */
  private static CommandSpec uninterpolated(CommandLine command) {
    CommandLine raw = Sluice.commandLine();
    raw.setInterpolateVariables(false);
    for (String name : commandName(command).split(" ")) {
      raw = raw.getSubcommands().get(name);
    }
    return raw.getCommandSpec();
  }

  /** The value an option has after parsing (its default when not given), e.g. {@code --port}. */
  public static Object optionValue(CommandLine command, String option) {
    OptionSpec spec = command.getCommandSpec().findOption(option);
    if (spec == null) {
      throw new IllegalArgumentException(commandName(command) + " has no option " + option);
    }
    return spec.getValue();
  }
}
