package dev.sluice.cli.schemas;

import dev.sluice.cli.ClusterClients;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.platform.UserError;
import dev.sluice.platform.topics.SubjectOutcome;
import dev.sluice.platform.topics.SubjectProvisioner;
import dev.sluice.schemas.Contracts;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.ValueContract;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice schemas register|export}: publishes the pipeline's contracts in the registry, or writes them as .avsc files. */
@Command(name = "schemas", description = "Publish the pipeline's Avro contracts.", mixinStandardHelpOptions = true,
    subcommands = {SchemasCommand.Register.class, SchemasCommand.Export.class})
public final class SchemasCommand {

  /** {@code sluice schemas register}. */
  @Command(name = "register",
      header = "Publish every pipeline topic's value schema in the schema registry.",
      mixinStandardHelpOptions = true,
      description = {"Register the value schema of every pipeline topic under <topic>-value, idempotently and under the",
          "subjects' compatibility levels (sluice topics create does this too). Exits 2 when the registry refuses one."})
  static final class Register implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin PrefixOption prefix;

    @Option(names = "--model", paramLabel = "NAME", description = "Also the inference topic of this model (repeatable).", showDefaultValue = CommandLine.Help.Visibility.NEVER)
    List<String> models = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PipelineTopics topics = prefix.topics();
      checkModels(topics, models);
      try (ClusterClients clients = new ClusterClients(cluster)) {
        return publish(clients, topics, models, spec.commandLine().getOut()) ? 0 : 2;
      }
    }
  }

  /** {@code sluice schemas export}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write every contract as <Record>.avsc into a folder (the files the build ships in the jar).")
  static final class Export implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".", description = "Folder to write into (default: the current one).")
    Path dir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<Path> files;
      try {
        files = Contracts.write(dir);
      } catch (IOException e) {
        throw new UserError("cannot write the contracts into " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      files.forEach(file -> out.println(file));
      out.flush();
      return 0;
    }
  }

  /**
   * Publishes the value contracts of the topics (and the models' inference topics) and prints one
   * line per subject.
   *
   * @return false when the registry refused a contract under its compatibility level
   * @throws UserError when the registry cannot be reached or fails
   */
  public static boolean publish(ClusterClients clients, PipelineTopics topics, Collection<String> models, PrintWriter out) {
    List<SubjectOutcome> outcomes;
    try {
      outcomes = new SubjectProvisioner(clients.registry()).ensure(topics.valueContracts(models));
    } catch (SchemaRegistryException e) {
      throw clients.registryFailure(e);
    }
    print(out, outcomes);
    return outcomes.stream().noneMatch(o -> o instanceof SubjectOutcome.Refused);
  }

  public static void print(PrintWriter out, List<SubjectOutcome> outcomes) {
    int width = outcomes.stream().mapToInt(o -> o.contract().subject().length()).max().orElse(10);
    for (SubjectOutcome outcome : outcomes) {
      ValueContract contract = outcome.contract();
      String state;
      if (outcome instanceof SubjectOutcome.Registered r) {
        state = "registered (version " + r.version() + ", id " + r.id() + ")";
      } else if (outcome instanceof SubjectOutcome.Present p) {
        state = "exists (version " + p.version() + ", id " + p.id() + ")";
      } else {
        state = "REFUSED: " + ((SubjectOutcome.Refused) outcome).reason();
      }
      Schema schema = contract.schema();
      String name = schema.getType() == Schema.Type.UNION
          ? String.join("|", schema.getTypes().stream().map(Schema::getName).toList()) : schema.getName();
      out.printf("%-" + width + "s  %-16s  %s%n", contract.subject(), name, state);
    }
    out.flush();
  }

  private static void checkModels(PipelineTopics topics, List<String> models) {
    try {
      models.forEach(topics::inference);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  SchemasCommand() {}
}
