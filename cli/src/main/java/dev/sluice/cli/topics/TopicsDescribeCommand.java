package dev.sluice.cli.topics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.cli.render.Table;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.platform.topics.GroupLag;
import dev.sluice.platform.topics.TopicCreationException;
import dev.sluice.platform.topics.TopicState;
import dev.sluice.platform.topics.TopicSurvey;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice topics describe}: the pipeline's topics and consumer groups as they are. */
@Command(name = "describe",
    header = "Show the pipeline's topics: missing ones, partitions and settings.",
    mixinStandardHelpOptions = true,
    description = {"Describe the pipeline's topics (those ./sluice topics create makes): exists or MISSING, partitions,",
        "replication, cleanup.policy, min.insync.replicas, retention and the sum of the end offsets; then the lag of",
        "the ingress (--application-id) and of every worker group sluice-worker-<model> (the --model ones and any",
        "existing one) on this prefix's topics. Exit status 2 when a topic is missing."})
final class TopicsDescribeCommand implements Callable<Integer> {
  static final String WORKER_GROUP_PREFIX = "sluice-worker-";

  @Option(names = "--model", paramLabel = "NAME", description = "Also this model's inference topic and worker group (repeatable).", showDefaultValue = CommandLine.Help.Visibility.NEVER)
  List<String> models = new ArrayList<>();

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "sluice-ingress",
      description = "The ingress's application id, its consumer group.")
  String applicationId;

  @Option(names = "--json", description = "One JSON object (topics, groups, missing) instead of tables.")
  boolean json;

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PipelineTopics topics = prefix.topics();
    List<String> names;
    try {
      names = topics.specs(TopicSettings.singleBroker(), models).stream().map(TopicSpec::name).toList();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    List<TopicState> states;
    List<GroupLag> lags;
    try (Admin admin = KafkaAdmins.connect(cluster.clientProperties())) {
      TopicSurvey survey = new TopicSurvey(admin, KafkaAdmins.TIMEOUT);
      states = survey.topics(names);
      Set<String> groups = new LinkedHashSet<>();
      groups.add(applicationId);
      models.forEach(model -> groups.add(WORKER_GROUP_PREFIX + model));
      groups.addAll(survey.groupsStartingWith(WORKER_GROUP_PREFIX));
      lags = survey.lag(groups, topics.prefix() + ".");
    } catch (TopicCreationException e) {
      throw new UserError("cannot describe the topics of Kafka at " + cluster.bootstrapServers() + ": " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> missing = states.stream().filter(s -> s instanceof TopicState.Missing).map(TopicState::name).toList();
    if (json) {
      out.println(json(states, lags, missing));
      out.flush();
      return missing.isEmpty() ? 0 : 2;
    }
    print(out, states, lags);
    if (missing.isEmpty()) {
      return 0;
    }
    String modelFlags = models.stream().map(m -> " --model " + m).collect(Collectors.joining());
    out.printf("%n%d of %d topics missing (%s): create them with %s%s%n", missing.size(), states.size(), String.join(", ", missing),
        prefix.createHint(), modelFlags);
    out.flush();
    return 2;
  }

  static void print(PrintWriter out, List<TopicState> states, List<GroupLag> lags) {
    Table topicTable = new Table("TOPIC", "STATE", "PARTITIONS", "REPLICATION", "CLEANUP", "MIN_ISR", "RETENTION", "END_OFFSETS");
    for (TopicState state : states) {
      if (state instanceof TopicState.Present p) {
        topicTable.row(p.name(), "exists", p.partitions(), p.replicationFactor(), p.cleanupPolicy(), p.minInsyncReplicas(),
            retention(p.retentionMs()), p.endOffsets());
      } else {
        topicTable.row(state.name(), "MISSING", "", "", "", "", "", "");
      }
    }
    topicTable.print(out);
    out.println();
    Table groupTable = new Table("GROUP", "LAG", "BY_TOPIC");
    for (GroupLag lag : lags) {
      if (lag instanceof GroupLag.Behind b) {
        groupTable.row(b.group(), b.total(), b.byTopic().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
      } else {
        groupTable.row(lag.group(), "-", "no committed offsets on these topics (not running yet?)");
      }
    }
    groupTable.print(out);
  }

  static ObjectNode json(List<TopicState> states, List<GroupLag> lags, List<String> missing) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode topics = root.putArray("topics");
    for (TopicState state : states) {
      ObjectNode topic = topics.addObject().put("name", state.name());
      if (state instanceof TopicState.Present p) {
        topic.put("state", "exists").put("partitions", p.partitions()).put("replication", p.replicationFactor())
            .put("cleanup_policy", p.cleanupPolicy()).put("min_insync_replicas", p.minInsyncReplicas()).put("retention_ms", p.retentionMs())
            .put("end_offsets", p.endOffsets());
      } else {
        topic.put("state", "missing");
      }
    }
    ArrayNode groups = root.putArray("groups");
    for (GroupLag lag : lags) {
      ObjectNode group = groups.addObject().put("group", lag.group());
      if (lag instanceof GroupLag.Behind b) {
        group.put("lag", b.total());
        ObjectNode byTopic = group.putObject("by_topic");
        b.byTopic().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> byTopic.put(e.getKey(), e.getValue()));
      } else {
        group.putNull("lag");
      }
    }
    ArrayNode absent = root.putArray("missing");
    missing.forEach(absent::add);
    return root;
  }

  /** A retention in the largest whole unit: {@code 7d}, {@code 12h}, {@code 90s}, {@code forever}. */
  static String retention(long ms) {
    if (ms < 0) {
      return "forever";
    }
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i] && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
