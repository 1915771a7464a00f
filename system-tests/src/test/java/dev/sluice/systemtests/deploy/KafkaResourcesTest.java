package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.CommandLines;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.mcp.SluiceMcp;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.schemas.topics.TopicSpec;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.ingress.IngressTopology;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.topology.monitor.MonitorTopology;
import dev.sluice.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Strimzi KafkaTopics are the topics the code creates (PipelineTopics.specs), shaped the same,
 * and each component's KafkaUser grants what that component's code reads and writes, no more:
 * the Streams applications as their topology describes them, the workers as they declare.
 */
class KafkaResourcesTest {
  static Stream<String> builds() {
    return KubernetesWorkloadsTest.builds();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void topicsAreThePipelinesTopicsWithTheirCompaction(String build) {
    Rendered rendered = Manifests.render(build);
    Map<String, JsonNode> declared = new HashMap<>();
    rendered.ofKind("KafkaTopic").forEach(topic -> declared.put(topic.path("spec").path("topicName").asText(), topic.path("spec")));
    Workload ingress = rendered.running("ingress").get(0);
    IngressConfig ingressConfig = IngressConfig.parse(ingress.componentSettings());
    PipelineTopics topics = ingressConfig.topics();
    int partitions = declared.get(topics.requests()).path("partitions").asInt();
    List<TopicSpec> expected = topics.specs(TopicSettings.replicated(partitions), models(rendered));
    assertThat(declared.keySet()).as(build).containsExactlyInAnyOrderElementsOf(expected.stream().map(TopicSpec::name).toList());
    boolean singleBroker = build.equals("dev");
    for (TopicSpec spec : expected) {
      JsonNode topic = declared.get(spec.name());
      String what = build + ": " + spec.name();
      assertThat(topic.path("config").path("cleanup.policy").asText()).as(what).isEqualTo(spec.configs().get("cleanup.policy"));
      assertThat(topic.path("replicas").asInt()).as(what).isEqualTo(singleBroker ? 1 : spec.replicationFactor());
      assertThat(topic.path("config").path("min.insync.replicas").asText()).as(what)
          .isEqualTo(singleBroker ? "1" : spec.configs().get("min.insync.replicas"));
      if (spec.partitions() == 1) {
        assertThat(topic.path("partitions").asInt()).as(what + " is a single-partition log").isEqualTo(1);
      }
    }
    long cacheRetention = declared.get(topics.resultCache()).path("config").path("retention.ms").asLong();
    assertThat(cacheRetention).as(build + ": the result cache keeps results as long as the ingress serves them")
        .isGreaterThanOrEqualTo(ingressConfig.cacheTtl().toMillis());
  }

  @ParameterizedTest
  @MethodSource("builds")
  void streamsApplicationsMayUseExactlyTheTopicsTheirTopologiesUse(String build) {
    Rendered rendered = Manifests.render(build);
    var registry = RestSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", "http://unused:8081"));
    Workload ingress = rendered.running("ingress").get(0);
    IngressConfig ingressConfig = IngressConfig.parse(withPartitions(ingress.componentSettings()));
    TopicAccess ingressUse = TopicAccess.of(IngressTopology.build(ingressConfig, registry, Clock.systemUTC(), new SimpleMeterRegistry()),
        ingressConfig.topics());
    assertUserGrants(rendered, ingress, ingressUse, ingressConfig.applicationId(), ingressConfig.applicationId() + "-");

    Workload monitor = rendered.running("monitor").get(0);
    MonitorConfig monitorConfig = MonitorConfig.parse(monitor.componentSettings());
    TopicAccess monitorUse = TopicAccess.of(MonitorTopology.build(monitorConfig, registry, Clock.systemUTC(), new SimpleMeterRegistry()), monitorConfig.topics());
    assertUserGrants(rendered, monitor, monitorUse, monitorConfig.applicationId(), monitorConfig.applicationId() + "-");
  }

  @ParameterizedTest
  @MethodSource("builds")
  void workersMayUseExactlyTheTopicsTheyDeclare(String build) {
    Rendered rendered = Manifests.render(build);
    for (Workload worker : rendered.running("worker")) {
      WorkerConfig config = WorkerConfig.parse(worker.componentSettings());
      String transactionalIdPrefix = config.transactionalId().substring(0, config.transactionalId().length() - config.workerId().length());
      assertUserGrants(rendered, worker, TopicAccess.declared(config.topicsRead(), config.topicsWritten()), config.groupId(), transactionalIdPrefix);
    }
  }

  /**
   * The gateway and the MCP tools it serves at /mcp: Read on the topics they read, Write on those
   * they write (the model registry only where the build allows the tools' writes), Describe and
   * DescribeConfigs on every pipeline topic (pipeline_status, the topics resource), Describe and
   * nothing more on the groups pipeline_status reports, and no transactional id.
   */
  @ParameterizedTest
  @MethodSource("builds")
  void theGatewayMayUseExactlyTheTopicsItAndItsMcpToolsDeclareAndOnlyDescribeGroups(String build) {
    Rendered rendered = Manifests.render(build);
    Workload gateway = rendered.running("gateway").get(0);
    GatewayConfig config = GatewayConfig.parse(gateway.componentSettings());
    JsonNode user = user(rendered, gateway);
    Map<String, Set<String>> expected = new HashMap<>();
    config.topicsRead().forEach(topic -> expected.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(List.of("Read", "Describe")));
    config.topicsWritten().forEach(topic -> expected.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(List.of("Write", "Describe")));
    expected.put(config.topics().prefix() + ".*", Set.of("Describe", "DescribeConfigs"));
    config.topics().specs(TopicSettings.singleBroker(), List.of()).stream().map(TopicSpec::name)
        .filter(topic -> !topic.startsWith(config.topics().prefix() + ".")).forEach(topic -> expected.put(topic, Set.of("Describe", "DescribeConfigs")));
    assertThat(topicGrants(user)).as(build + ": KafkaUser " + Manifests.name(user)).isEqualTo(expected);
    assertThat(config.topicsWritten().contains(config.topics().models())).as(build + ": the MCP tools may write the model registry")
        .isEqualTo(build.equals("mcp-writes")).isEqualTo(config.mcp().allowWrites());
    Map<String, Set<String>> groups = new HashMap<>();
    groups.put(config.mcp().ingressGroup(), Set.of("Describe"));
    SluiceMcp.REPORTED_GROUP_PREFIXES.forEach(prefix -> groups.put(prefix + "*", Set.of("Describe")));
    assertThat(grants(user, "group")).as(build + ": its readers are group-less; it only describes the groups it reports").isEqualTo(groups);
    assertThat(grants(user, "transactionalId")).as(build + ": it writes without transactions").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void theRegistryAndTheOperatorJobMayUseOnlyTheirTopics(String build) {
    Rendered rendered = Manifests.render(build);
    Workload registry = rendered.running("registry").get(0);
    String schemas = (String) CommandLines.optionValue(registry.commandLine(), "--topic");
    assertThat(topicGrants(user(rendered, registry))).containsOnlyKeys(schemas);
    for (Workload job : rendered.running("models deploy")) {
      // The operator's user: the model registry, and the workers' load states that models list shows (read only).
      assertThat(topicGrants(user(rendered, job))).as(build).containsOnlyKeys(PipelineTopics.defaults().models(),
          PipelineTopics.defaults().modelStatus());
      assertThat(topicGrants(user(rendered, job)).get(PipelineTopics.defaults().models())).contains("Read", "Write");
      assertThat(topicGrants(user(rendered, job)).get(PipelineTopics.defaults().modelStatus())).containsExactlyInAnyOrder("Read", "Describe");
    }
  }

  private static void assertUserGrants(Rendered rendered, Workload workload, TopicAccess use, String groupId, String transactionalIdPrefix) {
    JsonNode user = user(rendered, workload);
    String what = rendered.name() + ": KafkaUser " + Manifests.name(user);
    Map<String, Set<String>> topics = topicGrants(user);
    Set<String> expected = new TreeSet<>();
    use.reads().forEach(topic -> expected.add(topic + " Read"));
    use.writes().forEach(topic -> expected.add(topic + " Write"));
    use.writePrefixes().forEach(prefix -> expected.add(prefix + "* Write"));
    if (!use.internal().isEmpty()) {
      expected.add(groupId + "-* All");
    }
    Set<String> granted = new TreeSet<>();
    topics.forEach((topic, operations) -> operations.stream().filter(op -> List.of("Read", "Write", "All").contains(op))
        .forEach(op -> granted.add(topic + " " + op)));
    assertThat(granted).as(what + " topic grants").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(grants(user, "group").get(groupId)).as(what + " group " + groupId).contains("Read");
    assertThat(grants(user, "transactionalId").get(transactionalIdPrefix + "*")).as(what + " transactional ids").contains("Write");
  }

  static JsonNode user(Rendered rendered, Workload workload) {
    String secret = workload.secretVariables().get("SLUICE_KAFKA_SASL_JAAS_CONFIG");
    return rendered.get("KafkaUser", secret.substring(0, secret.indexOf('/')));
  }

  /** Topic ACLs: name (prefix patterns end in *) to operations. */
  static Map<String, Set<String>> topicGrants(JsonNode user) {
    return grants(user, "topic");
  }

  static Map<String, Set<String>> grants(JsonNode user, String type) {
    Map<String, Set<String>> grants = new HashMap<>();
    for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
      JsonNode resource = acl.path("resource");
      if (resource.path("type").asText().equals(type)) {
        String name = resource.path("name").asText() + (resource.path("patternType").asText().equals("prefix") ? "*" : "");
        acl.path("operations").forEach(op -> grants.computeIfAbsent(name, n -> new TreeSet<>()).add(op.asText()));
      }
    }
    return grants;
  }

  private static List<String> models(Rendered rendered) {
    return rendered.running("worker").stream().map(worker -> (String) CommandLines.optionValue(worker.commandLine(), "--model")).toList();
  }

  private static Map<String, String> withPartitions(Map<String, String> settings) {
    Map<String, String> copy = new HashMap<>(settings);
    copy.putIfAbsent(IngressConfig.REQUEST_PARTITIONS, "12");
    return copy;
  }
}
