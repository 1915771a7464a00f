package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.Sluice;
import dev.sluice.cli.data.TailCommand;
import dev.sluice.gateway.ApiKeys;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.gateway.GatewayService;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The MCP server as an assistant meets it, through a client no one here wrote: the official
 * TypeScript SDK's client ({@code @modelcontextprotocol/sdk}, mcp-session.mjs) against a real stack
 * with the bundled model, over stdio ({@code java -jar sluice.jar mcp}, started by the client) and
 * over streamable HTTP (the gateway's {@code /mcp} with an API key). It lists the 8 tools, calls
 * each, and holds the figures to what {@code sluice tail metrics} and {@code sluice topics describe}
 * report for the same moment; a traffic change is refused without write permission (registry
 * unchanged), applied with it (the ingress then routes by the new split) and audited either way;
 * bad calls are tool errors that say what to do, never a stack trace.
 */
@RealKafka(schemaRegistry = true)
@Timeout(600)
class McpClientsTest {
  private static final String PREFIX = "mcp";
  private static final int BURST = 16;
  private static final String KEY = "sk-ops-" + "0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CLI_JAR = Path.of("..", "cli", "target", "sluice.jar").toAbsolutePath().normalize();
  private static final List<String> TOOLS = List.of("alerts", "embed", "metrics", "models_list", "pipeline_status", "rejections",
      "rollback", "set_traffic");

  @Test
  void theTypeScriptSdkClientReadsAndSteersThePipelineOverStdioAndHttp(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    assertThat(CLI_JAR).as("build it with mvn -B install -DskipTests -pl cli -am").isRegularFile();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, PREFIX, TopicSettings.singleBroker(), 1),
            new PrintWriter(new StringWriter()));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl());
        GatewayService gateway = GatewayService.start(GatewayConfig.parse(gatewaySettings(stack)),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl(),
          "--prefix", PREFIX};
      List<String> warm = new ArrayList<>(traffic.sendSentences("warm-", 0, 40));
      traffic.send(Traffic.text("nobody-1", "no-such-model", "for nobody").build());
      warm.add("nobody-1");
      traffic.awaitOutcomes(warm, Duration.ofMinutes(3));
      assertThat(awaitFinalSnapshot(traffic, cluster)).as("a final snapshot of minilm/v1 within 2 minutes of traffic").isTrue();
      List<JsonNode> before = tailMetrics(cluster);

      // stdio, read only: every tool, a refused change, a dry run, and bad calls.
      List<ObjectNode> readCalls = List.of(call("pipeline_status", JSON.createObjectNode()), call("models_list", args("model", "minilm")),
          call("metrics", args("model", "minilm").put("version", "v1")), call("alerts", args("model", "minilm")),
          call("rejections", JSON.createObjectNode()), call("embed", args("model", "minilm").put("text", "How deep is the river?")));
      List<ObjectNode> stdioCalls = new ArrayList<>(readCalls);
      stdioCalls.add(call("set_traffic", weights(100)));
      stdioCalls.add(call("rollback", args("model", "minilm").put("to", "v2")));
      stdioCalls.add(call("set_traffic", weights(100).put("dry_run", true)));
      stdioCalls.add(call("metrics", args("model", "never-deployed")));
      stdioCalls.add(call("set_traffic", args("model", "minilm").set("weights", JSON.createObjectNode().put("v9", 50))));
      JsonNode describedBefore = describe(cluster);
      JsonNode stdio = session(stdioPlan(cluster, false).put("burst", BURST), stdioCalls);
      JsonNode describedAfter = describe(cluster);
      List<JsonNode> after = tailMetrics(cluster);

      assertThat(stdio.get("server").get("name").asText()).isEqualTo("sluice");
      assertThat(stdio.get("burst").get("ok").asInt()).as("calls in flight at once, all answered: %s", stdio.get("burst")).isEqualTo(BURST);
      assertTools(stdio);
      assertThat(stdio.get("resources").toString()).contains(".avsc");
      Map<String, JsonNode> read = byName(stdio.get("results"), readCalls.size());
      read.forEach((name, result) -> assertThat(result.get("isError").asBoolean()).as("%s: %s", name, result).isFalse());
      JsonNode metrics = read.get("metrics").get("structured");
      JsonNode mcpFinal = numbersAsDoubles(metrics.get("versions").get(0).get("latest_final"));
      long window = metrics.get("window_ms").asLong();
      assertThat(window).as("the smallest window by default").isEqualTo(before.stream().mapToLong(McpClientsTest::windowMs).min().orElseThrow());
      // Windows keep closing while the session runs: the tool's latest final is at least as recent as
      // the latest one read before it, and equal to the snapshot of its window that tail reads after.
      String mcpWindow = mcpFinal.get("window_start").asText();
      assertThat(Instant.parse(mcpWindow)).isAfterOrEqualTo(Instant.parse(latestFinal(before, "v1", window).get("window_start").asText()));
      JsonNode sameWindow = after.stream().filter(s -> s.get("model_version").asText().equals("v1") && windowMs(s) == window
          && s.get("final").asBoolean() && s.get("window_start").asText().equals(mcpWindow)).findFirst().orElse(null);
      assertThat(sameWindow).as("tail metrics reads the final snapshot of %s", mcpWindow).isNotNull();
      assertThat(mcpFinal).as("the metrics tool's latest final snapshot is the one sluice tail metrics reads")
          .isEqualTo(numbersAsDoubles(withoutSketch(sameWindow)));
      assertStatusAgreesWithTopicsDescribe(read.get("pipeline_status").get("structured"), describedBefore, describedAfter);
      assertThat(read.get("embed").get("structured").get("vector").get("dimensions").asInt()).isEqualTo(384);
      assertThat(read.get("rejections").get("structured").toString()).contains("UNKNOWN_MODEL");
      assertThat(trafficPercent(read.get("models_list"), "v2")).isEqualTo(10.0);

      JsonNode refused = stdio.get("results").get(readCalls.size());
      assertThat(refused.get("isError").asBoolean()).isTrue();
      assertThat(refused.get("text").asText()).contains("--allow-writes", "dry_run");
      assertThat(stdio.get("results").get(readCalls.size() + 1).get("isError").asBoolean()).isTrue();
      JsonNode dryRun = stdio.get("results").get(readCalls.size() + 2);
      assertThat(dryRun.get("isError").asBoolean()).isFalse();
      assertThat(dryRun.get("structured").get("written").asBoolean()).isFalse();
      for (int i = readCalls.size() + 3; i < stdioCalls.size(); i++) {
        JsonNode bad = stdio.get("results").get(i);
        assertThat(bad.has("thrown")).as("a tool error, not a protocol error: %s", bad).isFalse();
        assertThat(bad.get("isError").asBoolean()).as("%s", bad).isTrue();
        assertThat(bad.get("text").asText()).doesNotContain("Exception", "\tat ", "dev.sluice.").isNotBlank();
      }
      assertThat(read.get("models_list").toString()).doesNotContain("\"v9\"");

      // HTTP through the gateway: no key is refused; with the key every tool answers and a change is applied.
      HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(mcpUrl(gateway)))
          .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("Bearer");
      List<ObjectNode> httpCalls = new ArrayList<>(readCalls);
      httpCalls.add(call("set_traffic", weights(100)));
      httpCalls.add(call("models_list", args("model", "minilm")));
      ObjectNode httpPlan = JSON.createObjectNode();
      httpPlan.putObject("transport").put("kind", "http").put("url", mcpUrl(gateway)).put("key", KEY);
      JsonNode http = session(httpPlan, httpCalls);
      assertTools(http);
      Map<String, JsonNode> readOverHttp = byName(http.get("results"), readCalls.size());
      readOverHttp.forEach((name, result) ->
          assertThat(result.get("isError").asBoolean()).as("%s over HTTP: %s", name, result).isFalse());
      assertThat(readOverHttp.get("pipeline_status").get("structured").get("components"))
          .as("the gateway's own health and the components named in " + GatewayConfig.MCP_HEALTH_URLS)
          .extracting(c -> c.get("component").asText() + " " + c.get("ok").asBoolean()).containsExactlyInAnyOrder("gateway true", "ingress true");
      JsonNode applied = http.get("results").get(readCalls.size());
      assertThat(applied.get("isError").asBoolean()).as("%s", applied).isFalse();
      assertThat(applied.get("structured").get("written").asBoolean()).isTrue();
      assertThat(trafficPercent(http.get("results").get(readCalls.size() + 1), "v2")).isEqualTo(100.0);

      // The ingress routes by the new split: requests naming no version all go to v2.
      List<String> routed = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        InferenceRequest request = Traffic.text("routed-" + i, "minilm", Traffic.sentence(100 + i)).build();
        traffic.send(request);
        routed.add(request.getRequestId());
      }
      traffic.awaitOutcomes(routed, Duration.ofMinutes(2));
      assertThat(routed).allSatisfy(id -> assertThat(traffic.result(id).getModelVersion()).as(id).isEqualTo("v2"));

      // stdio with --allow-writes: a rollback is applied.
      JsonNode rollback = session(stdioPlan(cluster, true), List.of(call("rollback", args("model", "minilm"))));
      assertThat(rollback.get("results").get(0).get("isError").asBoolean()).as("%s", rollback).isFalse();
      assertThat(rollback.get("results").get(0).get("structured").get("written").asBoolean()).isTrue();

      // Every change call is in the audit trail, and every HTTP call to /mcp too.
      CliRun tail = CliRun.of(new TailCommand(), with(cluster, "audit", "--json", "--from-beginning", "--timeout-ms", "5000"));
      assertThat(tail.exit()).as(tail.err()).isZero();
      List<JsonNode> audit = new ArrayList<>();
      for (String line : tail.outLines()) {
        audit.add(JSON.readTree(line));
      }
      List<JsonNode> changes = audit.stream().filter(e -> e.get("gateway").asText().equals("mcp")).toList();
      // One event per call; the audit topic's partitions do not keep the calls' order between them.
      assertThat(changes).extracting(McpClientsTest::change).containsExactlyInAnyOrder("set_traffic 403 writes_not_allowed",
          "rollback 403 writes_not_allowed", "set_traffic 200 dry_run", "set_traffic 400 invalid_change", "set_traffic 200 null",
          "rollback 200 null");
      assertThat(changes).filteredOn(e -> change(e).equals("set_traffic 200 null")).singleElement().satisfies(e -> {
        assertThat(e.get("key_id").asText()).as("the HTTP caller's key").isEqualTo("ops");
        assertThat(e.get("tenant").asText()).isEqualTo("platform");
        assertThat(e.get("action").asText()).contains("minilm", "v2", "100");
      });
      assertThat(changes).filteredOn(e -> change(e).equals("set_traffic 403 writes_not_allowed")).singleElement().satisfies(e -> {
        assertThat(e.get("client_address").asText()).isEqualTo("stdio");
        assertThat(e.get("user_agent").asText()).startsWith("sluice-e2e-node/");
        assertThat(e.get("action").asText()).as("what it would have done").contains("v2");
      });
      List<JsonNode> httpCallsAudited = audit.stream().filter(e -> e.get("path").asText().equals("/mcp")).toList();
      assertThat(httpCallsAudited).extracting(e -> e.get("status").asInt()).contains(401, 200);
      assertThat(httpCallsAudited).filteredOn(e -> e.get("status").asInt() == 200)
          .allSatisfy(e -> assertThat(e.get("key_id").asText()).isEqualTo("ops"));
      assertThat(audit).extracting(JsonNode::toString).noneMatch(line -> line.contains(KEY));
    }
  }

  private static String change(JsonNode event) {
    return event.get("path").asText() + " " + event.get("status").asInt() + " " + event.get("reason").asText();
  }

  private static Map<String, String> gatewaySettings(PipelineStack stack) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    settings.put("topic.prefix", PREFIX);
    settings.put(GatewayConfig.PORT, "0");
    settings.put(GatewayConfig.OPS_PORT, "0");
    settings.put(GatewayConfig.REPLY_PARTITION, "1");
    settings.put(GatewayConfig.API_KEYS, "ops:platform:" + ApiKeys.hash(KEY));
    settings.put(GatewayConfig.MCP_ALLOW_WRITES, "true");
    settings.put(GatewayConfig.MCP_HEALTH_URLS, "ingress=http://127.0.0.1:" + stack.ingressPort() + "/health/ready");
    return settings;
  }

  private static String mcpUrl(GatewayService gateway) {
    return "http://127.0.0.1:" + gateway.port() + "/mcp";
  }

  private static ObjectNode stdioPlan(String[] cluster, boolean allowWrites) {
    ObjectNode plan = JSON.createObjectNode();
    ObjectNode transport = plan.putObject("transport").put("kind", "stdio")
        .put("command", ProcessHandle.current().info().command().orElse("java"));
    ArrayNode args = transport.putArray("args").add("-jar").add(CLI_JAR.toString()).add("mcp");
    for (String arg : cluster) {
      args.add(arg);
    }
    args.add("--application-id").add(PREFIX + "-ingress");
    if (allowWrites) {
      args.add("--allow-writes");
    }
    return plan;
  }

  private static JsonNode session(ObjectNode plan, List<ObjectNode> calls) throws Exception {
    ArrayNode list = plan.putArray("calls");
    calls.forEach(list::add);
    Path file = Files.createTempFile("mcp-plan", ".json");
    try {
      Files.writeString(file, plan.toString());
      JsonNode report = NodeClients.run(Duration.ofMinutes(3), "mcp-session.mjs", file.toString());
      assertThat(report.get("failure").isNull()).as("failure reported by the Node client: %s", report.get("failure")).isTrue();
      return report;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void assertTools(JsonNode report) {
    List<String> names = new ArrayList<>();
    report.get("tools").forEach(t -> names.add(t.get("name").asText()));
    assertThat(names).containsExactlyInAnyOrderElementsOf(TOOLS);
    report.get("tools").forEach(t -> assertThat(t.get("inputSchema").get("type").asText()).as(t.get("name").asText()).isEqualTo("object"));
    assertThat(report.get("results")).allSatisfy(r -> assertThat(r.has("thrown")).as("%s", r).isFalse());
  }

  private static Map<String, JsonNode> byName(JsonNode results, int first) {
    Map<String, JsonNode> byName = new HashMap<>();
    for (int i = 0; i < first; i++) {
      byName.put(results.get(i).get("name").asText(), results.get(i));
    }
    return byName;
  }

  private static ObjectNode call(String name, ObjectNode arguments) {
    ObjectNode call = JSON.createObjectNode().put("name", name);
    call.set("arguments", arguments);
    return call;
  }

  private static ObjectNode args(String key, String value) {
    return JSON.createObjectNode().put(key, value);
  }

  private static ObjectNode weights(int v2) {
    ObjectNode arguments = args("model", "minilm");
    arguments.putObject("weights").put("v2", v2);
    return arguments;
  }

  private static double trafficPercent(JsonNode modelsList, String version) {
    return StreamSupport.stream(modelsList.get("structured").get("versions").spliterator(), false)
        .filter(v -> v.get("version").asText().equals(version)).findFirst().orElseThrow().get("traffic_percent").asDouble();
  }

  private static String[] with(String[] cluster, String... first) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(cluster));
    return all.toArray(String[]::new);
  }

  /** Sends a trickle of requests until the monitor has closed a window of minilm/v1 of every size it emits; whether it did. */
  private static boolean awaitFinalSnapshot(Traffic traffic, String[] cluster) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    int next = 1000;
    while (System.nanoTime() < deadline) {
      List<JsonNode> snapshots = tailMetrics(cluster);
      long smallest = snapshots.stream().mapToLong(McpClientsTest::windowMs).min().orElse(0);
      if (smallest > 0 && latestFinal(snapshots, "v1", smallest) != null) {
        return true;
      }
      traffic.awaitOutcomes(traffic.sendSentences("trickle-", next, 5), Duration.ofMinutes(1));
      next += 5;
    }
    return false;
  }

  private static List<JsonNode> tailMetrics(String[] cluster) {
    CliRun tail = CliRun.of(new TailCommand(), with(cluster, "metrics", "--json", "--from-beginning", "--timeout-ms", "2000"));
    assertThat(tail.exit()).as(tail.err()).isZero();
    List<JsonNode> snapshots = new ArrayList<>();
    for (String line : tail.outLines()) {
      try {
        JsonNode snapshot = JSON.readTree(line);
        if (snapshot.get("model").asText().equals("minilm")) {
          snapshots.add(snapshot);
        }
      } catch (java.io.IOException e) {
        throw new AssertionError("sluice tail metrics --json printed " + line, e);
      }
    }
    return snapshots;
  }

  private static JsonNode latestFinal(List<JsonNode> snapshots, String version, long windowMs) {
    return snapshots.stream().filter(s -> s.get("model_version").asText().equals(version) && s.get("final").asBoolean()
        && windowMs(s) == windowMs).max((a, b) -> Instant.parse(a.get("window_start").asText())
        .compareTo(Instant.parse(b.get("window_start").asText()))).orElse(null);
  }

  private static long windowMs(JsonNode snapshot) {
    return Instant.parse(snapshot.get("window_end").asText()).toEpochMilli() - Instant.parse(snapshot.get("window_start").asText()).toEpochMilli();
  }

  private static JsonNode withoutSketch(JsonNode snapshot) {
    if (snapshot == null) {
      return null;
    }
    ObjectNode copy = snapshot.deepCopy();
    copy.remove("latency_sketch");
    return copy;
  }

  /** The same tree with every number a double: JavaScript writes 2.0 as 2. */
  private static JsonNode numbersAsDoubles(JsonNode node) {
    if (node.isNumber()) {
      return JSON.getNodeFactory().numberNode(node.asDouble());
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), numbersAsDoubles(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(numbersAsDoubles(e)));
      return copy;
    }
    return node;
  }

  private static JsonNode describe(String[] cluster) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Sluice.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(with(cluster, "topics", "describe", "--json", "--model", "minilm", "--application-id", PREFIX + "-ingress"));
    CliRun describe = new CliRun(exit, out.toString(), err.toString());
    assertThat(describe.exit()).as(describe.err()).isZero();
    return JSON.readTree(describe.out());
  }

  /**
   * The topics' settings are the ones topics describe reports; end offsets and the ingress's lag lie
   * between its reports just before and just after the session (the session's embed call writes a request).
   */
  private static void assertStatusAgreesWithTopicsDescribe(JsonNode status, JsonNode before, JsonNode after) {
    Map<String, JsonNode> earlier = byTopic(before);
    Map<String, JsonNode> later = byTopic(after);
    assertThat(status.get("topics")).isNotEmpty();
    for (JsonNode topic : status.get("topics")) {
      JsonNode first = earlier.get(topic.get("name").asText());
      JsonNode last = later.get(topic.get("name").asText());
      assertThat(last).as("topics describe lists %s", topic.get("name")).isNotNull();
      assertThat(topic.get("exists").asBoolean()).isEqualTo(last.get("state").asText().equals("exists"));
      assertThat(topic.get("partitions").asInt()).as("%s", topic).isEqualTo(last.get("partitions").asInt());
      assertThat(topic.get("replication_factor").asInt()).isEqualTo(last.get("replication").asInt());
      assertThat(topic.get("cleanup_policy").asText()).isEqualTo(last.get("cleanup_policy").asText());
      assertThat(topic.get("retention_ms").asLong()).isEqualTo(last.get("retention_ms").asLong());
      assertThat(topic.get("end_offsets").asLong()).as("%s", topic)
          .isBetween(first.get("end_offsets").asLong(), last.get("end_offsets").asLong());
    }
    JsonNode ingress = group(status.get("consumer_groups"));
    long lagBefore = group(before.get("groups")).get("lag").asLong();
    long lagAfter = group(after.get("groups")).get("lag").asLong();
    assertThat(ingress.get("lag").asLong()).isBetween(Math.min(lagBefore, lagAfter), Math.max(lagBefore, lagAfter));
  }

  private static Map<String, JsonNode> byTopic(JsonNode described) {
    Map<String, JsonNode> byName = new HashMap<>();
    described.get("topics").forEach(t -> byName.put(t.get("name").asText(), t));
    return byName;
  }

  private static JsonNode group(JsonNode groups) {
    return StreamSupport.stream(groups.spliterator(), false).filter(g -> g.get("group").asText().equals(PREFIX + "-ingress"))
        .findFirst().orElseThrow(() -> new AssertionError("no group " + PREFIX + "-ingress in " + groups));
  }
}
