package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.sluice.cli.bench.BenchCommand;
import dev.sluice.cli.data.SendCommand;
import dev.sluice.cli.data.TailCommand;
import dev.sluice.cli.models.ModelsCommand;
import dev.sluice.cli.run.BrokerCommand;
import dev.sluice.cli.run.DemoCommand;
import dev.sluice.cli.run.IngressCommand;
import dev.sluice.cli.run.McpCommand;
import dev.sluice.cli.run.MonitorCommand;
import dev.sluice.cli.run.SchemaRegistryCommand;
import dev.sluice.cli.run.UpCommand;
import dev.sluice.cli.run.GatewayCommand;
import dev.sluice.cli.run.WorkerCommand;
import dev.sluice.cli.schemas.SchemasCommand;
import dev.sluice.cli.topics.TopicsCommand;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.AvroTrust;
import java.net.BindException;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code sluice} command line. */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
    description = "Sluice: streaming inference on Apache Kafka.",
    subcommands = {UpCommand.class, DemoCommand.class, SendCommand.class, TailCommand.class, ModelsCommand.class, BenchCommand.class,
        TopicsCommand.class, SchemasCommand.class, BrokerCommand.class, SchemaRegistryCommand.class, IngressCommand.class, WorkerCommand.class, GatewayCommand.class,
        MonitorCommand.class, McpCommand.class, AutoComplete.GenerateCompletion.class})
public final class Sluice {
  @Spec CommandSpec spec;

  private Sluice() {}

  /** Every command's {@code --log-level}: the level of Sluice's own loggers, over SLUICE_LOG_LEVEL. */
  @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
      description = "Level of Sluice's own log lines: ERROR, WARN, INFO, DEBUG or TRACE (default: SLUICE_LOG_LEVEL, else INFO).")
  void logLevel(String level) {
    Level parsed = Level.toLevel(level, null);
    if (parsed == null || !parsed.levelStr.equalsIgnoreCase(level.trim())) {
      throw new ParameterException(spec.commandLine(), "--log-level must be one of ERROR, WARN, INFO, DEBUG, TRACE, got " + level);
    }
    if (LoggerFactory.getLogger("dev.sluice") instanceof Logger logger) {
      logger.setLevel(parsed);
    }
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    AvroTrust.trustContracts();
    if (!LogFormat.applyFromEnvironment()) {
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with Sluice's error handling, for main and for tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Sluice()).setExecutionExceptionHandler(new OneLineErrors());
    // picocli's own command has no header, and its description's first line is cut at a template.
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage()
        .header("Print a bash or zsh completion script for sluice: source <(sluice generate-completion).");
    return HelpLayout.apply(cli);
  }

  /**
   * Errors the user can act on (a {@link UserError}, or a configuration problem in Kafka's shape)
   * are printed without a stack trace; anything else is a bug and keeps its stack trace.
   */
  public static final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) throws Exception {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof UserError || t instanceof ConfigException) {
          cmd.getErr().println(cmd.getColorScheme().errorText("sluice: " + t.getMessage()));
          cmd.getErr().flush();
          return 1;
        }
        if (t instanceof BindException) {
          cmd.getErr().println(cmd.getColorScheme().errorText("sluice: cannot listen on its port (" + t.getMessage()
              + "): another process holds it; choose a free one with --port (0 picks any)"));
          cmd.getErr().flush();
          return 1;
        }
      }
      throw e;
    }
  }
}
