package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/monitoring's PrometheusRule: every alert has a duration, a severity and the
 * annotations an operator reads (summary, description, runbook); every metric its expressions
 * name is a series the ingress, the monitor or a worker really exposes ({@link ExposedSeries}), with
 * the labels it selects; and Prometheus' own {@link Promtool} accepts the rules and passes their unit
 * tests ({@code src/test/resources/prometheus}), whose input series are also held to the exposed ones.
 */
@Timeout(180)
class PrometheusRulesTest {
  private static final Path RULES_TEST = Path.of("src", "test", "resources", "prometheus", "sluice-rules-test.yaml");
  private static final Set<String> ALERTS = Set.of("SluiceConsumerLagGrowing", "SluiceWorkerErrorRate", "SluiceIngressRejectionRate",
      "SluiceEndToEndLatencyP99High", "SluiceNoReadyWorker", "SluiceNoWorkerScraped");
  private static final Pattern COMPONENT = Pattern.compile("component=~?\"([^\"]+)\"");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyAlertHasADurationASeverityAndWhatAnOperatorReads() {
    List<JsonNode> rules = rules();

    assertThat(rules).extracting(rule -> rule.path("alert").asText()).as("the alerts the operator needs").containsAll(ALERTS);
    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      assertThat(rule.path("for").asText()).as(alert).matches("\\d+[smh]");
      assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("critical", "warning", "info");
      for (String annotation : List.of("summary", "description", "runbook")) {
        assertThat(rule.path("annotations").path(annotation).asText()).as(alert + " " + annotation).isNotBlank();
      }
    }
  }

  @Test
  void everyMetricTheRulesNameIsOneTheComponentsExpose() throws IOException {
    List<String> expressions = new ArrayList<>();
    rules().forEach(rule -> expressions.add(rule.path("expr").asText()));
    List<String> inputs = new ArrayList<>();
    YAML.readTree(RULES_TEST.toFile()).path("tests").forEach(test -> test.path("input_series")
        .forEach(input -> inputs.add(input.path("series").asText())));

    Set<String> used = GrafanaDashboardTest.metrics(expressions);
    Map<String, Set<String>> exposed = new TreeMap<>();
    for (String component : List.of("ingress", "monitor", "worker")) {
      ExposedSeries.merge(exposed, GrafanaDashboardTest.series(component));
    }

    assertThat(used).contains("kafka_consumer_fetch_manager_records_lag_max", "sluice_worker_results_total",
        "sluice_worker_end_to_end_seconds_bucket", "sluice_worker_models_loaded", "sluice_ingress_rejections_total",
        "sluice_ingress_latency_seconds_bucket");
    assertThat(exposed.keySet()).as("series the components expose").containsAll(used);
    assertThat(GrafanaDashboardTest.unknownLabels(expressions, exposed)).as("label matchers on labels the series do not have").isEmpty();
    assertThat(exposed.keySet()).as("series the rules' unit tests feed").containsAll(GrafanaDashboardTest.metrics(inputs));
    assertThat(GrafanaDashboardTest.unknownLabels(inputs, exposed)).as("labels the rules' unit tests feed").isEmpty();
  }

  @Test
  void theComponentsTheRulesSelectAreTheLabelsTheScrapeConfigsGive() {
    Set<String> selected = new TreeSet<>();
    for (JsonNode rule : rules()) {
      Matcher component = COMPONENT.matcher(rule.path("expr").asText());
      while (component.find()) {
        selected.addAll(List.of(component.group(1).split("\\|")));
      }
    }
    Set<String> podComponents = new TreeSet<>();
    Manifests.render("prod").workloads().forEach(workload -> podComponents.add(
        workload.resource().path("spec").path("template").path("metadata").path("labels").path("app.kubernetes.io/component").asText()));
    Set<String> plainPrometheus = new TreeSet<>();
    for (JsonNode job : Manifests.read(Manifests.DEPLOY.resolve("prometheus").resolve("prometheus.yml")).get(0).path("scrape_configs")) {
      job.path("static_configs").forEach(targets -> plainPrometheus.add(targets.path("labels").path("component").asText()));
      job.path("relabel_configs").forEach(relabel -> {
        if (relabel.path("target_label").asText().equals("component")) {
          plainPrometheus.add(relabel.path("replacement").asText());
        }
      });
    }

    assertThat(selected).containsExactlyInAnyOrder("ingress", "monitor", "worker");
    assertThat(podComponents).as("the ServiceMonitor's component label: the pods' app.kubernetes.io/component").containsAll(selected);
    assertThat(plainPrometheus).as("prometheus.yml's component labels").containsAll(selected);
  }

  @Test
  void promtoolAcceptsTheRulesAndPassesTheirUnitTests(@TempDir Path dir) throws Exception {
    ObjectNode spec = (ObjectNode) prometheusRule().path("spec");
    Path all = dir.resolve("all-rules.yaml");
    YAML.writeValue(all.toFile(), spec);
    assertThat(Promtool.run(dir, "check", "rules", all.toString())).contains("SUCCESS");

    for (JsonNode group : spec.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        ((ObjectNode) rule.path("annotations")).remove(List.of("description", "runbook"));
      }
    }
    YAML.writeValue(dir.resolve("rules.yaml").toFile(), spec);
    Files.copy(RULES_TEST, dir.resolve("rules-test.yaml"));
    assertThat(Promtool.run(dir, "test", "rules", "rules-test.yaml")).contains("SUCCESS");
  }

  /** The PrometheusRule as the prod overlay builds it (namespace and labels applied). */
  private static JsonNode prometheusRule() {
    List<ObjectNode> rules = Manifests.render("prod").ofKind("PrometheusRule");
    assertThat(rules).hasSize(1);
    JsonNode rule = rules.get(0);
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.path("metadata").path("namespace").asText()).isEqualTo("sluice");
    return rule;
  }

  private static List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    prometheusRule().path("spec").path("groups").forEach(group -> group.path("rules").forEach(rules::add));
    return rules;
  }
}
