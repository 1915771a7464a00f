package dev.sluice.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.Alert;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.TextInput;
import dev.sluice.platform.AvroJson;
import dev.sluice.platform.RejectedIds;
import dev.sluice.platform.TimeAgo;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.platform.models.TrafficPlan;
import dev.sluice.platform.topics.GroupLag;
import dev.sluice.platform.topics.TopicState;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's MCP tools, each with a JSON schema for its input, a text summary and the same
 * facts as structured content. Reads go to Kafka and the registry at each call ({@link
 * PipelineFacts}); the two tools that change traffic follow the rules of {@code sluice models}
 * ({@link TrafficPlan}), are refused unless the server allows writes (a dry run never writes and
 * is always allowed), and every call of theirs is audited. A call that cannot be served is a tool
 * error with a sentence saying what to do, never a stack trace.
 */
final class SluiceTools {
  private static final Logger LOG = LoggerFactory.getLogger(SluiceTools.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Dead letters show at most this much of the request they carry. */
  static final int PAYLOAD_PREFIX_BYTES = 64;
  private static final int MAX_EXAMPLES = 10;
  private static final int MAX_ALERTS = 200;

  private final PipelineFacts facts;
  private final McpOptions options;
  private final WriteAudit audit;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  SluiceTools(PipelineFacts facts, McpOptions options, WriteAudit audit, Clock clock) {
    this.facts = facts;
    this.options = options;
    this.audit = audit;
    this.clock = clock;
  }

  /** Every tool with its handler. */
  List<SyncToolSpecification> specifications() {
    return List.of(
        tool("pipeline_status", "Pipeline status",
            "Every component's health, the consumer groups' lag per topic, the workers ready per model version, the topics and the"
                + " schema registry's subjects.",
            schema(), this::status),
        tool("models_list", "Deployed models",
            "Every deployed model version: its share of traffic, shadow flag, artifact and engine or remote endpoints (in order of preference),"
                + " and the load state each worker reports.",
            schema(optionalString("model", "Only this model's versions.")), this::models),
        tool("metrics", "Metric snapshots",
            "The latest windowed snapshots of a model's versions (throughput, p50/p95/p99, results by status, rejections, batch size,"
                + " padding, tokens/s, cache hits, quality when feedback exists), or two versions side by side.",
            schema(requiredString("model", "The model."), optionalString("version", "Only this version (else every version)."),
                optionalString("compare_with", "A second version to put beside 'version'."),
                optionalString("window", "Window size, e.g. 10s or 1m (default: the smallest the monitor emits)."),
                optionalString("since", "How far back to look: a time ago (30s, 5m, 2h) or an ISO-8601 instant (default 15m).")),
            this::metrics),
        tool("alerts", "Recent alerts",
            "Alerts the monitor raised (throughput spikes and drops, error rate, latency regressions), newest first.",
            schema(optionalString("model", "Only this model."),
                optionalString("rule", "Only this rule: THROUGHPUT_SPIKE, THROUGHPUT_DROP, ERROR_RATE or LATENCY_REGRESSION."),
                optionalString("since", "How far back (default 1h)."), optionalInteger("limit", "At most this many (default 20).")),
            this::alerts),
        tool("rejections", "Dead letters by reason",
            "Requests the ingress or a worker rejected, counted by reason code over a time range, with a few examples per reason"
                + " (ids and details; at most a " + PAYLOAD_PREFIX_BYTES + "-byte prefix of the payload).",
            schema(optionalString("model", "Only this model."), optionalString("since", "Start of the range (default 1h)."),
                optionalString("until", "End of the range (default now)."),
                optionalInteger("examples", "Examples per reason, 0 to " + MAX_EXAMPLES + " (default 3).")),
            this::rejections),
        tool("embed", "Embed a text through the pipeline",
            "Sends one real request through the pipeline (validated, routed, batched, counted like any other) and returns the"
                + " vector's summary and the result's timings.",
            schema(requiredString("model", "The model."), requiredString("text", "The text."),
                optionalString("version", "A version to ask for (default: the traffic split decides).")),
            this::embed),
        tool("set_traffic", "Set a model's traffic split",
            "Sets versions' shares of a model's traffic, in percent, by the rules of 'sluice models traffic': named weights adding up"
                + " to 100 give the other versions 0; less leaves the rest to the others in proportion. Needs a server that allows"
                + " writes unless dry_run is true; every call is audited.",
            schema(requiredString("model", "The model."),
                property("weights", JSON.createObjectNode().put("type", "object").put("description",
                    "Version to percent, e.g. {\"v1\": 80, \"v2\": 20}.").set("additionalProperties",
                        JSON.createObjectNode().put("type", "number").put("minimum", 0).put("maximum", 100)), true),
                optionalBoolean("dry_run", "Show the resulting split without writing it (default false).")),
            this::setTraffic),
        tool("rollback", "Roll back a model's traffic",
            "Restores the split before the model's last traffic change, or gives one version all traffic. Needs a server that"
                + " allows writes unless dry_run is true; every call is audited.",
            schema(requiredString("model", "The model."), optionalString("to", "Give this version 100 % instead."),
                optionalBoolean("dry_run", "Show the resulting split without writing it (default false).")),
            this::rollback));
  }

  private interface Handler {
    ToolAnswer handle(JsonNode arguments, McpSyncServerExchange exchange) throws Exception;
  }

  private SyncToolSpecification tool(String name, String title, String description, ObjectNode inputSchema, Handler handler) {
    @SuppressWarnings("unchecked")
    Map<String, Object> schemaMap = JSON.convertValue(inputSchema, Map.class);
    Tool tool = Tool.builder(name, schemaMap).title(title).description(description).build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> call(name, handler, exchange,
        JSON.valueToTree(request.arguments() == null ? Map.of() : request.arguments()))).build();
  }

  private CallToolResult call(String name, Handler handler, McpSyncServerExchange exchange, JsonNode arguments) {
    try {
      return handler.handle(arguments, exchange).toResult();
    } catch (ToolAnswer.Refusal e) {
      return ToolAnswer.error(e.getMessage());
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return ToolAnswer.error("Kafka did not answer in time (" + e.getMessage() + "): is the pipeline's cluster running and reachable?");
    } catch (KafkaException e) {
      return ToolAnswer.error("Kafka refused the call: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolAnswer.error("The server is stopping; call again once it runs.");
    } catch (Exception e) {
      LOG.warn("Tool {} failed", name, e);
      return ToolAnswer.error(name + " failed: " + e + ". The server's log has the details.");
    }
  }

  // ------------------------------------------------------------------ the tools

  private ToolAnswer status(JsonNode arguments, McpSyncServerExchange exchange) throws InterruptedException {
    ObjectNode out = JSON.createObjectNode();
    List<ModelDeployment> deployments = facts.deployments().all();
    List<ModelLoadState> states = facts.loadStates();
    List<String> models = deployments.stream().map(ModelDeployment::getModel).distinct().sorted().toList();

    ArrayNode components = out.putArray("components");
    List<String> unhealthy = new ArrayList<>();
    new TreeMap<>(options.healthUrls()).forEach((component, url) -> {
      ObjectNode one = components.addObject().put("component", component).put("url", url.toString());
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
        one.put("ok", answer.statusCode() == 200).put("status", answer.statusCode());
        one.set("answer", parseOrText(answer.body()));
      } catch (Exception e) {
        one.put("ok", false).put("error", e.toString());
      }
      if (!one.path("ok").asBoolean()) {
        unhealthy.add(component);
      }
    });

    ArrayNode versions = out.putArray("versions");
    List<String> notReady = new ArrayList<>();
    for (ModelDeployment d : deployments) {
      ObjectNode one = versions.addObject();
      putVersion(one, d, deployments);
      workers(one, d, states);
      if (one.path("ready_workers").asInt() == 0 && (TrafficPlan.isActive(d) || d.getShadow())) {
        notReady.add(d.getModel() + "/" + d.getVersion());
      }
    }

    ArrayNode groups = out.putArray("consumer_groups");
    long totalLag = 0;
    for (GroupLag lag : facts.groupLags(options.ingressGroup())) {
      ObjectNode one = groups.addObject();
      if (lag instanceof GroupLag.Behind behind) {
        one.put("group", behind.group()).put("committed", true).put("lag", behind.total());
        ObjectNode byTopic = one.putObject("lag_by_topic");
        behind.byTopic().forEach(byTopic::put);
        totalLag += behind.total();
      } else {
        one.put("group", ((GroupLag.Absent) lag).group()).put("committed", false);
      }
    }

    List<TopicState> topicStates = facts.topicStates(models);
    ArrayNode topics = TopicsJson.of(topicStates);
    out.set("topics", topics);
    List<String> missing = topicStates.stream().filter(TopicState.Missing.class::isInstance).map(TopicState::name).toList();
    List<String> subjects = facts.subjects();
    ArrayNode subjectsJson = out.putArray("registry_subjects");
    subjects.forEach(subjectsJson::add);

    StringBuilder text = new StringBuilder();
    text.append(components.isEmpty() ? "Component health: no health URLs configured (sluice mcp --health NAME=URL)."
        : unhealthy.isEmpty() ? "All " + components.size() + " components report healthy." : "Not healthy: " + String.join(", ", unhealthy) + ".");
    text.append('\n').append(versions.size()).append(" deployed versions");
    text.append(notReady.isEmpty() ? ", each with a ready worker." : "; no ready worker for " + String.join(", ", notReady) + ".");
    for (JsonNode v : versions) {
      text.append("\n  ").append(v.path("model").asText()).append('/').append(v.path("version").asText()).append(": ")
          .append(v.path("shadow").asBoolean() ? "shadow" : percent(v.path("traffic_percent").asDouble()) + " of traffic")
          .append(", ").append(v.path("state").asText());
    }
    text.append('\n').append(groups.size()).append(" consumer groups, ").append(totalLag).append(" records behind in all.");
    for (JsonNode g : groups) {
      text.append("\n  ").append(g.path("group").asText()).append(": ")
          .append(g.path("committed").asBoolean() ? g.path("lag").asLong() + " behind" : "no committed offsets");
    }
    text.append('\n').append(topics.size() - missing.size()).append(" of ").append(topics.size()).append(" topics exist")
        .append(missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing)).append(". ")
        .append(subjects.size()).append(" registry subjects.");
    return new ToolAnswer(text.toString(), out);
  }

  private ToolAnswer models(JsonNode arguments, McpSyncServerExchange exchange) {
    String model = text(arguments, "model").orElse(null);
    List<ModelDeployment> all = facts.deployments().all();
    List<ModelDeployment> shown = all.stream().filter(d -> model == null || d.getModel().equals(model)).toList();
    if (model != null && shown.isEmpty()) {
      throw new ToolAnswer.Refusal("Model " + model + " has no deployed version. Deployed models: " + names(all) + ".");
    }
    List<ModelLoadState> states = facts.loadStates();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode versions = out.putArray("versions");
    StringBuilder text = new StringBuilder();
    for (ModelDeployment d : shown) {
      ObjectNode one = versions.addObject();
      putVersion(one, d, all);
      one.put("artifact", d.getArtifactUri()).put("engine", d.getEngine().name()).put("task", d.getTask().name())
          .put("deployed_at", d.getDeployedAt().toString());
      ArrayNode endpoints = one.putArray("endpoints");
      d.getEndpoints().forEach(e -> endpoints.addObject().put("name", e.getName()).put("protocol", e.getProtocol().name()).put("url", e.getUrl()));
      workers(one, d, states);
      text.append(text.length() == 0 ? "" : "\n").append(d.getModel()).append('/').append(d.getVersion()).append(": ")
          .append(d.getShadow() ? "shadow" : percent(one.path("traffic_percent").asDouble()) + " of traffic").append(", ")
          .append(one.path("state").asText()).append(", ").append(d.getEndpoints().isEmpty() ? d.getEngine() + " " + d.getArtifactUri()
              : "on endpoints " + String.join(" then ", d.getEndpoints().stream()
                  .map(e -> e.getName() + " (" + e.getProtocol() + (e.getUrl() == null ? "" : " " + e.getUrl()) + ")").toList()));
    }
    if (shown.isEmpty()) {
      text.append("No model is deployed.");
    }
    return new ToolAnswer(text.toString(), out);
  }

  private ToolAnswer metrics(JsonNode arguments, McpSyncServerExchange exchange) {
    String model = required(arguments, "model");
    Optional<String> version = text(arguments, "version");
    Optional<String> compare = text(arguments, "compare_with");
    if (compare.isPresent() && version.isEmpty()) {
      throw new ToolAnswer.Refusal("compare_with needs a version to compare it with: give both 'version' and 'compare_with'.");
    }
    Instant since = time(arguments, "since", "15m");
    List<MetricsSnapshot> snapshots = facts.snapshots(since).stream().map(PipelineFacts.Stamped::value)
        .filter(s -> s.getModel().equals(model)).toList();
    if (snapshots.isEmpty()) {
      throw new ToolAnswer.Refusal("No snapshot of model " + model + " since " + since + ": is traffic flowing and the monitor"
          + " running? Try a longer 'since', or check 'pipeline_status'.");
    }
    List<Long> sizes = snapshots.stream().map(SluiceTools::windowMs).distinct().sorted().toList();
    long window = text(arguments, "window").map(w -> parseWindow(w, sizes)).orElse(sizes.get(0));
    Map<String, List<MetricsSnapshot>> byVersion = new TreeMap<>(snapshots.stream().filter(s -> windowMs(s) == window)
        .collect(Collectors.groupingBy(MetricsSnapshot::getModelVersion)));
    List<String> wanted = version.map(v -> compare.map(c -> List.of(v, c)).orElse(List.of(v))).orElse(List.copyOf(byVersion.keySet()));
    ObjectNode out = JSON.createObjectNode().put("model", model).put("window_ms", window).put("since", since.toString());
    ArrayNode versions = out.putArray("versions");
    StringBuilder text = new StringBuilder();
    text.append(model).append(", ").append(window / 1000).append(" s windows:");
    Map<String, ObjectNode> latestFinal = new LinkedHashMap<>();
    for (String v : wanted) {
      List<MetricsSnapshot> of = byVersion.getOrDefault(v, List.of());
      if (of.isEmpty()) {
        throw new ToolAnswer.Refusal("No " + window / 1000 + " s snapshot of " + model + "/" + v + " since " + since
            + ". Versions with snapshots: " + String.join(", ", byVersion.keySet()) + ".");
      }
      Optional<MetricsSnapshot> lastFinal = of.stream().filter(MetricsSnapshot::getFinal$).max(Comparator.comparing(MetricsSnapshot::getWindowStart));
      MetricsSnapshot newest = of.stream().max(Comparator.comparing(MetricsSnapshot::getWindowStart)
          .thenComparing(MetricsSnapshot::getFinal$)).orElseThrow();
      ObjectNode one = versions.addObject().put("version", v).put("windows_seen", of.stream().map(MetricsSnapshot::getWindowStart).distinct().count());
      lastFinal.ifPresent(s -> {
        one.set("latest_final", snapshotJson(s));
        latestFinal.put(v, (ObjectNode) one.get("latest_final"));
      });
      one.set("newest", snapshotJson(newest));
      MetricsSnapshot described = lastFinal.orElse(newest);
      text.append("\n  ").append(v).append(": ").append(summary(described));
    }
    if (compare.isPresent() && latestFinal.size() == 2) {
      ObjectNode a = latestFinal.get(version.get());
      ObjectNode b = latestFinal.get(compare.get());
      ObjectNode side = out.putObject("comparison").put("version", version.get()).put("compare_with", compare.get());
      side.put("throughput_ratio", ratio(a.path("throughput_per_s").asDouble(), b.path("throughput_per_s").asDouble()));
      if (a.path("latency").isObject() && b.path("latency").isObject()) {
        for (String q : List.of("p50_ms", "p95_ms", "p99_ms")) {
          side.put(q + "_difference", a.path("latency").path(q).asDouble() - b.path("latency").path(q).asDouble());
        }
        text.append(String.format(Locale.ROOT, "\n  %s against %s: p99 %+.1f ms, throughput x%.2f", version.get(), compare.get(),
            side.path("p99_ms_difference").asDouble(), side.path("throughput_ratio").asDouble()));
      }
    }
    return new ToolAnswer(text.toString(), out);
  }

  private ToolAnswer alerts(JsonNode arguments, McpSyncServerExchange exchange) {
    Optional<String> model = text(arguments, "model");
    Optional<String> rule = text(arguments, "rule").map(r -> r.toUpperCase(Locale.ROOT));
    int limit = integer(arguments, "limit", 20, 1, MAX_ALERTS);
    Instant since = time(arguments, "since", "1h");
    List<Alert> alerts = facts.alerts(since).stream().map(PipelineFacts.Stamped::value)
        .filter(a -> model.isEmpty() || a.getModel().equals(model.get()))
        .filter(a -> rule.isEmpty() || a.getRule().name().equals(rule.get()))
        .sorted(Comparator.comparing(Alert::getRaisedAt).reversed()).limit(limit).toList();
    ObjectNode out = JSON.createObjectNode().put("since", since.toString());
    ArrayNode list = out.putArray("alerts");
    StringBuilder text = new StringBuilder(alerts.isEmpty() ? "No alert since " + since + "." : alerts.size() + " alerts since " + since + ", newest first:");
    for (Alert a : alerts) {
      list.add(AvroJson.of(a));
      text.append("\n  ").append(a.getRaisedAt()).append(' ').append(a.getModel()).append('/').append(a.getModelVersion()).append(' ')
          .append(a.getRule()).append(": ").append(a.getDetail());
    }
    return new ToolAnswer(text.toString(), out);
  }

  private ToolAnswer rejections(JsonNode arguments, McpSyncServerExchange exchange) {
    Optional<String> model = text(arguments, "model");
    Instant since = time(arguments, "since", "1h");
    Instant until = text(arguments, "until").map(u -> parseTime(u, "until")).orElse(clock.instant());
    int examples = integer(arguments, "examples", 3, 0, MAX_EXAMPLES);
    Map<String, Long> counts = new TreeMap<>();
    Map<String, ArrayNode> samples = new TreeMap<>();
    for (PipelineFacts.Stamped<RejectedRequest> stamped : facts.rejections(since)) {
      RejectedRequest r = stamped.value();
      if (stamped.timestampMillis() > until.toEpochMilli() || model.isPresent() && !model.get().equals(r.getModel())) {
        continue;
      }
      String reason = r.getReason().name();
      counts.merge(reason, 1L, Long::sum);
      ArrayNode list = samples.computeIfAbsent(reason, k -> JSON.createArrayNode());
      if (list.size() < examples) {
        ObjectNode one = list.addObject().put("request_id", RejectedIds.of(r, stamped.key() == null ? null
            : stamped.key().getBytes(StandardCharsets.UTF_8)));
        one.put("model", r.getModel()).put("stage", r.getStage().name()).put("detail", r.getDetail())
            .put("rejected_at", r.getRejectedAt().toString());
        putPrefix(one, r.getOriginalValue());
        if (r.getSource() != null) {
          one.put("source", r.getSource().getTopic() + "-" + r.getSource().getPartition() + "@" + r.getSource().getOffset());
        }
      }
    }
    ObjectNode out = JSON.createObjectNode().put("since", since.toString()).put("until", until.toString());
    ObjectNode byReason = out.putObject("counts");
    counts.forEach(byReason::put);
    out.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
    ObjectNode examplesJson = out.putObject("examples");
    samples.forEach(examplesJson::set);
    String text = counts.isEmpty() ? "No rejection between " + since + " and " + until + "."
        : out.path("total").asLong() + " rejections between " + since + " and " + until + ": "
            + counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ".";
    return new ToolAnswer(text, out);
  }

  private ToolAnswer embed(JsonNode arguments, McpSyncServerExchange exchange) throws Exception {
    String model = required(arguments, "model");
    String textIn = required(arguments, "text");
    Optional<String> version = text(arguments, "version");
    if (facts.deployments().versionsOf(model).isEmpty()) {
      throw new ToolAnswer.Refusal("Model " + model + " has no deployed version; 'models_list' shows what is deployed.");
    }
    InferenceRequest request = InferenceRequest.newBuilder().setRequestId("mcp-" + UUID.randomUUID()).setModel(model)
        .setModelVersion(version.orElse(null)).setCreatedAt(clock.instant()).setInput(TextInput.newBuilder().setText(textIn).build())
        .setAttributes(Map.of("source", "mcp")).build();
    AtomicReference<InferenceResult> result = new AtomicReference<>();
    AtomicReference<RejectedRequest> rejected = new AtomicReference<>();
    facts.send(request, options.embedTimeout(), (r, j) -> {
      result.set(r);
      rejected.set(j);
    });
    ObjectNode out = JSON.createObjectNode().put("request_id", request.getRequestId());
    if (rejected.get() != null) {
      RejectedRequest r = rejected.get();
      out.put("outcome", "rejected").put("reason", r.getReason().name()).put("stage", r.getStage().name()).put("detail", r.getDetail());
      return new ToolAnswer("The pipeline rejected the request: " + r.getReason() + " at " + r.getStage() + ": " + r.getDetail(), out);
    }
    InferenceResult r = result.get();
    if (r == null) {
      throw new ToolAnswer.Refusal("No result for request " + request.getRequestId() + " within " + options.embedTimeout().toSeconds()
          + " s: are the workers of " + model + " running? 'pipeline_status' shows the ready workers and the lag.");
    }
    out.put("outcome", "result").put("status", r.getStatus().name()).put("model_version", r.getModelVersion()).put("cached", r.getCached())
        .put("batch_size", r.getBatchSize());
    out.set("timings", AvroJson.of(r.getTimings()));
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s/%s answered %s", model, r.getModelVersion(), r.getStatus()));
    if (r.getOutput() instanceof Embedding embedding) {
      List<Float> vector = embedding.getVector();
      double norm = Math.sqrt(vector.stream().mapToDouble(v -> (double) v * v).sum());
      ObjectNode summary = out.putObject("vector").put("dimensions", vector.size()).put("norm", norm);
      ArrayNode head = summary.putArray("first_values");
      vector.stream().limit(8).forEach(head::add);
      text.append(String.format(Locale.ROOT, ": a %d-dimension vector, norm %.4f", vector.size(), norm));
    } else if (r.getError() != null) {
      out.put("error", r.getError());
      text.append(": ").append(r.getError());
    }
    text.append(String.format(Locale.ROOT, "; end to end %.1f ms (queued %.1f, inference %.1f)%s.", r.getTimings().getEndToEndMs(),
        r.getTimings().getQueuedMs(), r.getTimings().getInferenceMs(), r.getCached() ? ", from the result cache" : ""));
    return new ToolAnswer(text.toString(), out);
  }

  private ToolAnswer setTraffic(JsonNode arguments, McpSyncServerExchange exchange) throws InterruptedException {
    String model = required(arguments, "model");
    JsonNode weightsJson = arguments.path("weights");
    if (!weightsJson.isObject() || weightsJson.isEmpty()) {
      throw new ToolAnswer.Refusal("'weights' must map versions to percents, e.g. {\"v1\": 80, \"v2\": 20}.");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    weightsJson.fields().forEachRemaining(e -> {
      if (!e.getValue().isNumber()) {
        throw new ToolAnswer.Refusal("The weight of " + e.getKey() + " must be a number from 0 to 100, was " + e.getValue() + ".");
      }
      weights.put(e.getKey(), e.getValue().asDouble());
    });
    return change("set_traffic", model, arguments, exchange, versions -> TrafficPlan.reweigh(model, versions, weights));
  }

  private ToolAnswer rollback(JsonNode arguments, McpSyncServerExchange exchange) throws InterruptedException {
    String model = required(arguments, "model");
    String to = text(arguments, "to").orElse(null);
    return change("rollback", model, arguments, exchange, versions -> TrafficPlan.rollback(model, versions, to));
  }

  /** Plans a traffic change, audits it, and writes it unless it is a dry run or writes are not allowed. */
  private ToolAnswer change(String tool, String model, JsonNode arguments, McpSyncServerExchange exchange,
      Function<List<ModelDeployment>, TrafficChange> plan) throws InterruptedException {
    long started = System.nanoTime();
    boolean dryRun = arguments.path("dry_run").asBoolean(false);
    List<ModelDeployment> versions = facts.deployments().versionsOf(model);
    if (versions.isEmpty()) {
      audit.record(tool, exchange, 404, "model_not_found", null, started);
      throw new ToolAnswer.Refusal("Model " + model + " has no deployed version; 'models_list' shows what is deployed.");
    }
    TrafficChange change;
    try {
      change = plan.apply(versions);
    } catch (IllegalArgumentException e) {
      audit.record(tool, exchange, 400, "invalid_change", null, started);
      throw new ToolAnswer.Refusal(e.getMessage());
    }
    String action = model + ": " + (change.changed().isEmpty() ? "nothing to change" : change.changes());
    if (!dryRun && !options.allowWrites()) {
      audit.record(tool, exchange, 403, "writes_not_allowed", action, started);
      throw new ToolAnswer.Refusal("This MCP server only reads: writes are not allowed (" + options.writesSwitch() + "). Call " + tool
          + " with dry_run true to see the split it would give (" + action + "), or have the server restarted with "
          + options.writesSwitch() + ".");
    }
    if (!dryRun && !change.changed().isEmpty()) {
      facts.write(change.changed());
    }
    audit.record(tool, exchange, 200, dryRun ? "dry_run" : null, action, started);
    ObjectNode out = JSON.createObjectNode().put("model", model).put("dry_run", dryRun).put("written", !dryRun && !change.changed().isEmpty());
    out.put("changes", change.changed().isEmpty() ? "" : change.changes());
    out.set("before", split(change.before()));
    out.set("after", split(change.after()));
    String text = (dryRun ? "Dry run, nothing written. " : change.changed().isEmpty() ? "Nothing to change. " : "Written. ")
        + action + ". Traffic " + (dryRun ? "would be" : "is now") + ": " + change.split() + ".";
    return new ToolAnswer(text, out);
  }

  // ------------------------------------------------------------------ JSON of the facts

  private static ObjectNode split(List<ModelDeployment> versions) {
    ObjectNode split = JSON.createObjectNode();
    Map<String, Double> shares = TrafficPlan.shares(versions);
    for (ModelDeployment d : versions) {
      if (d.getShadow()) {
        split.put(d.getVersion(), "shadow");
      } else {
        split.put(d.getVersion(), shares.getOrDefault(d.getVersion(), 0.0));
      }
    }
    return split;
  }

  private static void putVersion(ObjectNode one, ModelDeployment d, List<ModelDeployment> all) {
    List<ModelDeployment> siblings = all.stream().filter(s -> s.getModel().equals(d.getModel())).toList();
    one.put("model", d.getModel()).put("version", d.getVersion()).put("shadow", d.getShadow())
        .put("traffic_percent", d.getShadow() ? 0.0 : TrafficPlan.shares(siblings).getOrDefault(d.getVersion(), 0.0));
  }

  private static void workers(ObjectNode one, ModelDeployment d, List<ModelLoadState> states) {
    ArrayNode workers = one.putArray("workers");
    int ready = 0;
    int loading = 0;
    int failed = 0;
    for (ModelLoadState s : states) {
      if (s.getModel().equals(d.getModel()) && s.getVersion().equals(d.getVersion())) {
        ObjectNode w = workers.addObject().put("worker", s.getWorkerId()).put("state", s.getState().name());
        if (s.getReason() != null) {
          w.put("reason", s.getReason());
        }
        switch (s.getState()) {
          case READY -> ready++;
          case LOADING -> loading++;
          default -> failed++;
        }
      }
    }
    one.put("ready_workers", ready);
    String state = workers.isEmpty() ? "no worker" : failed > 0 ? "failed on " + failed + " of " + workers.size()
        : ready == workers.size() ? "ready on " + ready + (ready == 1 ? " worker" : " workers") : "loading";
    one.put("state", state);
  }

  private static ObjectNode snapshotJson(MetricsSnapshot s) {
    ObjectNode json = AvroJson.of(s);
    json.remove("latency_sketch");
    return json;
  }

  private static String summary(MetricsSnapshot s) {
    String latency = s.getLatency() == null ? "no latency" : String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
        s.getLatency().getP50Ms(), s.getLatency().getP95Ms(), s.getLatency().getP99Ms());
    long failed = s.getRequestCount() - s.getStatusCounts().getOrDefault("OK", 0L);
    String quality = s.getQuality() == null ? "" : String.format(Locale.ROOT, ", accuracy %.3f, macro F1 %.3f",
        s.getQuality().getAccuracy(), s.getQuality().getMacroF1());
    return String.format(Locale.ROOT, "window %s %s: %d requests, %.2f/s, %s, %d failed, batch %.1f, %d cache hits%s",
        s.getWindowStart(), s.getFinal$() ? "(final)" : "(partial)", s.getRequestCount(), s.getThroughputPerS(), latency, failed,
        s.getMeanBatchSize(), s.getCacheHits(), quality);
  }

  private static void putPrefix(ObjectNode one, ByteBuffer payload) {
    if (payload == null) {
      return;
    }
    ByteBuffer copy = payload.duplicate();
    byte[] head = new byte[Math.min(PAYLOAD_PREFIX_BYTES, copy.remaining())];
    copy.get(head);
    one.put("payload_bytes", payload.remaining());
    try {
      one.put("payload_prefix", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(head)).toString());
    } catch (CharacterCodingException e) {
      StringBuilder hex = new StringBuilder();
      for (byte b : head) {
        hex.append(String.format(Locale.ROOT, "%02x", b));
      }
      one.put("payload_prefix_hex", hex.toString());
    }
  }

  private static JsonNode parseOrText(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return JSON.getNodeFactory().textNode(body.length() > 200 ? body.substring(0, 200) : body);
    }
  }

  private static long windowMs(MetricsSnapshot s) {
    return s.getWindowEnd().toEpochMilli() - s.getWindowStart().toEpochMilli();
  }

  private static long parseWindow(String text, List<Long> sizes) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long ms;
    try {
      ms = t.endsWith("ms") ? Long.parseLong(t.substring(0, t.length() - 2)) : t.endsWith("s") ? Long.parseLong(t.substring(0, t.length() - 1)) * 1000
          : t.endsWith("m") ? Long.parseLong(t.substring(0, t.length() - 1)) * 60_000 : Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new ToolAnswer.Refusal("'window' is a size such as 10s or 1m, was '" + text + "'.");
    }
    if (!sizes.contains(ms)) {
      throw new ToolAnswer.Refusal("No " + text + " window in the snapshots; the monitor emits "
          + sizes.stream().map(s -> s % 60_000 == 0 ? s / 60_000 + "m" : s / 1000 + "s").collect(Collectors.joining(", ")) + ".");
    }
    return ms;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  private static String percent(double value) {
    return String.format(Locale.ROOT, "%.4g %%", value).replaceAll("\\.?0+ %", " %");
  }

  private static String names(List<ModelDeployment> all) {
    List<String> names = all.stream().map(ModelDeployment::getModel).distinct().sorted().toList();
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  // ------------------------------------------------------------------ arguments

  private Instant time(JsonNode arguments, String field, String fallback) {
    return parseTime(text(arguments, field).orElse(fallback), field);
  }

  private Instant parseTime(String value, String field) {
    try {
      return TimeAgo.parse(value, clock);
    } catch (IllegalArgumentException e) {
      throw new ToolAnswer.Refusal("'" + field + "': " + e.getMessage() + ".");
    }
  }

  private static Optional<String> text(JsonNode arguments, String field) {
    JsonNode value = arguments.path(field);
    return value.isMissingNode() || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText().trim());
  }

  private static String required(JsonNode arguments, String field) {
    return text(arguments, field).orElseThrow(() -> new ToolAnswer.Refusal("'" + field + "' is required."));
  }

  private static int integer(JsonNode arguments, String field, int fallback, int least, int most) {
    JsonNode value = arguments.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToInt() || value.asInt() < least || value.asInt() > most) {
      throw new ToolAnswer.Refusal("'" + field + "' is a whole number from " + least + " to " + most + ", was " + value + ".");
    }
    return value.asInt();
  }

  // ------------------------------------------------------------------ input schemas

  private static ObjectNode schema(ObjectNode... properties) {
    ObjectNode schema = JSON.createObjectNode().put("type", "object");
    ObjectNode props = schema.putObject("properties");
    ArrayNode required = JSON.createArrayNode();
    for (ObjectNode property : properties) {
      String name = property.remove("$name").asText();
      if (property.remove("$required").asBoolean()) {
        required.add(name);
      }
      props.set(name, property);
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  private static ObjectNode property(String name, ObjectNode definition, boolean required) {
    return definition.put("$name", name).put("$required", required);
  }

  private static ObjectNode requiredString(String name, String description) {
    return property(name, JSON.createObjectNode().put("type", "string").put("description", description), true);
  }

  private static ObjectNode optionalString(String name, String description) {
    return property(name, JSON.createObjectNode().put("type", "string").put("description", description), false);
  }

  private static ObjectNode optionalInteger(String name, String description) {
    return property(name, JSON.createObjectNode().put("type", "integer").put("description", description), false);
  }

  private static ObjectNode optionalBoolean(String name, String description) {
    return property(name, JSON.createObjectNode().put("type", "boolean").put("description", description), false);
  }
}
