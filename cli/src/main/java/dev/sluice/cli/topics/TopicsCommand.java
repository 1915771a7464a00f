package dev.sluice.cli.topics;

import dev.sluice.cli.ClusterClients;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.schemas.SchemasCommand;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.platform.topics.TopicOutcome;
import dev.sluice.platform.topics.TopicProvisioner;
import dev.sluice.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice topics create|describe}: creates the pipeline's topics, idempotently, and describes them. */
@Command(name = "topics", description = "Manage the pipeline's topics.", mixinStandardHelpOptions = true,
    subcommands = {TopicsCommand.Create.class, TopicsDescribeCommand.class})
public final class TopicsCommand {

  /** {@code sluice topics create}. */
  @Command(name = "create",
      header = "Create the pipeline's missing topics and publish their value schemas.",
      mixinStandardHelpOptions = true,
      description = {"Create the pipeline's topics that are missing; report existing ones that differ. Then register each",
          "topic's value schema under <topic>-value in the schema registry (as sluice schemas register does).",
          "Exits 2 when a topic differs or the registry refuses a schema."})
  static final class Create implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin TopicOptions topics;

    @Option(names = "--no-schemas", description = "Do not register the topics' value schemas in the schema registry.")
    boolean noSchemas;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      List<TopicSpec> specs = topics.specs();
      List<TopicOutcome> outcomes;
      try (Admin admin = KafkaAdmins.connect(cluster.clientProperties())) {
        outcomes = new TopicProvisioner(admin, KafkaAdmins.TIMEOUT).ensure(specs);
      }
      PrintWriter out = spec.commandLine().getOut();
      print(out, outcomes);
      boolean published = true;
      if (!noSchemas) {
        try (ClusterClients clients = new ClusterClients(cluster)) {
          published = SchemasCommand.publish(clients, topics.topics(), topics.models(), out);
        } catch (UserError e) {
          throw new UserError(e.getMessage() + " (the topics are in place; --no-schemas skips the schemas)", e);
        }
      }
      return outcomes.stream().anyMatch(o -> o instanceof TopicOutcome.Differs) || !published ? 2 : 0;
    }
  }

  public static void print(PrintWriter out, List<TopicOutcome> outcomes) {
    int width = outcomes.stream().mapToInt(o -> o.spec().name().length()).max().orElse(10);
    for (TopicOutcome outcome : outcomes) {
      TopicSpec s = outcome.spec();
      String state = outcome instanceof TopicOutcome.Differs d ? "DIFFERS: " + d.difference()
          : outcome instanceof TopicOutcome.Created ? "created" : "exists";
      out.printf("%-" + width + "s  %3d partitions  replication %d  %-7s  %s%n", s.name(), s.partitions(), s.replicationFactor(),
          s.compacted() ? "compact" : "delete", state);
    }
    out.flush();
  }

  TopicsCommand() {}
}
