package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * deploy/grafana's dashboards query only series their component exposes ({@link ExposedSeries}:
 * the components' real meter classes and binders on a Prometheus registry, with their Deployments'
 * settings): renaming a meter breaks this test.
 */
@Timeout(120)
class GrafanaDashboardTest {
  /** Every dashboard, each in the sidecar's ConfigMap. */
  static final List<String> DASHBOARDS = List.of("sluice-workers.json", "sluice-ingress.json", "sluice-monitor.json",
      "sluice-quality.json");
  private static final Path GRAFANA = Path.of("..", "deploy", "grafana");
  private static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus", "prometheus.yml");
  /** A metric name in a query: a series of Sluice's meters, the JVM's or Kafka's clients'. */
  static final Pattern METRIC = Pattern.compile("\\b((?:sluice|jvm|kafka|process|system)_[a-z0-9_]+)\\b");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, Map<String, Set<String>>> SERIES = new ConcurrentHashMap<>();
  /** A metric with a label selector: the metric and the selector. */
  private static final Pattern SELECTOR = Pattern.compile("\\b((?:sluice|jvm|kafka|process|system)_[a-z0-9_]+)\\{([^}]*)}");
  /** A label matcher inside a selector. */
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  /** Labels Prometheus adds to every series of a target (ServiceMonitor relabelings, the operator, prometheus.yml), not the code. */
  static final Set<String> TARGET_LABELS = Set.of("instance", "namespace", "component", "job", "pod", "service", "le");

  @ParameterizedTest
  @CsvSource({
      "sluice-workers.json, worker, sluice_worker_results_total sluice_worker_end_to_end_seconds_bucket sluice_worker_inference_seconds_bucket "
          + "sluice_worker_batch_size_requests_sum sluice_worker_queue_depth_requests sluice_worker_model_load_seconds_sum "
          + "jvm_memory_used_bytes kafka_consumer_fetch_manager_records_lag_max",
      "sluice-ingress.json, ingress, sluice_ingress_latency_seconds_bucket sluice_ingress_latency_seconds_count sluice_ingress_rejections_total "
          + "sluice_ingress_records_in_total sluice_ingress_routed_total sluice_ingress_cache_hits_total "
          + "kafka_consumer_fetch_manager_records_lag_max kafka_stream_thread_process_rate sluice_kafka_connected",
      "sluice-monitor.json, monitor, sluice_monitor_snapshots_total sluice_monitor_alerts_total sluice_monitor_event_lateness_seconds_bucket "
          + "kafka_consumer_fetch_manager_records_lag_max kafka_stream_alive_stream_threads",
      "sluice-quality.json, monitor, sluice_monitor_quality_accuracy sluice_monitor_quality_f1 sluice_monitor_quality_precision "
          + "sluice_monitor_quality_recall sluice_monitor_quality_labelled sluice_monitor_window_throughput_requests_per_second "
          + "sluice_monitor_window_error_ratio sluice_monitor_window_latency_seconds"})
  void everyMetricADashboardQueriesIsOneItsComponentExposes(String file, String component, String mustUse) throws Exception {
    JsonNode dashboard = read(file);
    List<String> queries = queries(dashboard);
    Set<String> used = metrics(queries);

    assertThat(queries).as(file).hasSizeGreaterThan(10);
    assertThat(used).as(file).contains(mustUse.split(" "));
    assertThat(series(component).keySet()).as("series the " + component + " exposes").containsAll(used);
    assertThat(unknownLabels(queries, series(component))).as(file + ": label matchers on labels the series do not have").isEmpty();
  }

  @ParameterizedTest
  @FieldSource("DASHBOARDS")
  void dashboardIsAnImportableGrafanaDashboardOnThePrometheusInput(String file) throws Exception {
    JsonNode dashboard = read(file);

    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.path("uid").asText()).isEqualTo(file.replace(".json", ""));
    assertThat(dashboard.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
    JsonNode datasourceVariable = dashboard.path("templating").path("list").get(0);
    assertThat(datasourceVariable.path("name").asText()).as("provisioned (sidecar) copies get no import step: a variable resolves the input")
        .isEqualTo("DS_PROMETHEUS");
    assertThat(datasourceVariable.path("type").asText()).isEqualTo("datasource");
    assertThat(datasourceVariable.path("query").asText()).isEqualTo("prometheus");
    Set<String> variables = new TreeSet<>();
    dashboard.path("templating").path("list").forEach(variable -> variables.add(variable.path("name").asText()));
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        assertThat(panel.path("targets")).isNotEmpty();
        for (JsonNode target : panel.path("targets")) {
          Matcher variable = Pattern.compile("\\$(\\w+)").matcher(target.path("expr").asText());
          while (variable.find()) {
            assertThat(variable.group(1)).as(file + ": a variable of panel " + panel.path("title").asText())
                .isIn(union(variables, Set.of("__rate_interval")));
          }
        }
      }
    }
  }

  @Test
  void everyPanelQueryIsValidPromQl(@TempDir Path dir) throws Exception {
    ObjectNode rules = YAML.createObjectNode();
    ArrayNode groups = rules.putArray("groups");
    int n = 0;
    for (String file : DASHBOARDS) {
      ArrayNode records = groups.addObject().put("name", file).putArray("rules");
      for (JsonNode expr : read(file).findValues("expr")) {
        String query = expr.asText().replace("$__rate_interval", "5m").replaceAll("\\$\\w+", ".*");
        records.addObject().put("record", "panel:query:" + n++).put("expr", query);
      }
    }
    YAML.writeValue(dir.resolve("panels.yaml").toFile(), rules);

    assertThat(Promtool.run(dir, "check", "rules", "panels.yaml")).contains("SUCCESS");
  }

  @Test
  void prometheusScrapesTheIngressWorkersAndMonitoringPorts() throws Exception {
    String config = Files.readString(PROMETHEUS);

    assertThat(config).contains("scrape_configs:").contains("kubernetes_sd_configs:").contains("metrics_path: /metrics")
        .contains(":8090").contains(":8091").contains(":8092");
  }

  /** The series a component exposes, with their labels: {@code ingress}, {@code monitor} or {@code worker} (built once per test run). */
  static Map<String, Set<String>> series(String component) {
    Map<String, Supplier<Map<String, Set<String>>>> sources = Map.of(
        "ingress", () -> ExposedSeries.ingress(Manifests.render("base")),
        "monitor", () -> ExposedSeries.monitor(Manifests.render("base")),
        "worker", () -> ExposedSeries.worker(Manifests.render("base")));
    return SERIES.computeIfAbsent(component, name -> sources.get(name).get());
  }

  /** The metric names in queries. */
  static Set<String> metrics(List<String> queries) {
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Matcher matcher = METRIC.matcher(query);
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }
    return used;
  }

  /** Each {@code metric{label...}} of the queries whose label the metric's series do not carry (target labels aside). */
  static List<String> unknownLabels(List<String> queries, Map<String, Set<String>> exposed) {
    List<String> unknown = new ArrayList<>();
    for (String query : queries) {
      Matcher selector = SELECTOR.matcher(query);
      while (selector.find()) {
        Matcher label = MATCHER.matcher(selector.group(2));
        while (label.find()) {
          String name = label.group(1);
          if (!TARGET_LABELS.contains(name) && !exposed.getOrDefault(selector.group(1), Set.of()).contains(name)) {
            unknown.add(selector.group(1) + " has no label " + name);
          }
        }
      }
    }
    return unknown;
  }

  private static List<String> queries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
    dashboard.findValues("definition").forEach(definition -> queries.add(definition.asText()));
    return queries;
  }

  private static JsonNode read(String file) throws Exception {
    return new ObjectMapper().readTree(GRAFANA.resolve(file).toFile());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
