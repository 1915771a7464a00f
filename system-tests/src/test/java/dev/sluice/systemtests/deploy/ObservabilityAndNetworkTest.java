package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.platform.http.HealthAnswer;
import dev.sluice.platform.http.OpsHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prometheus finds every component that serves metrics (ServiceMonitor and the plain scrape
 * config agree with the pods' labels and ports), Grafana gets the dashboard, and the
 * NetworkPolicies open exactly the ports the pods listen on and connect to.
 */
class ObservabilityAndNetworkTest {
  private static final Set<String> SERVES_METRICS = Set.of("ingress", "monitor", "worker", "gateway");

  static Stream<String> builds() {
    return KubernetesWorkloadsTest.builds();
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod", "gpu"})
  void theServiceMonitorScrapesEveryComponentThatServesMetricsOnItsMetricsPath(String build) throws IOException {
    Rendered rendered = Manifests.render(build);
    JsonNode monitor = rendered.get("ServiceMonitor", "sluice");
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    Set<String> scraped = new HashSet<>();
    for (JsonNode service : rendered.ofKind("Service")) {
      if (Rendered.selects(monitor.path("spec").path("selector").path("matchLabels"), service.path("metadata").path("labels"))) {
        Workload workload = rendered.workload(Manifests.name(service));
        scraped.add(workload.command());
        boolean named = false;
        for (JsonNode port : service.path("spec").path("ports")) {
          named |= port.path("name").asText().equals(endpoint.path("port").asText());
        }
        assertThat(named).as("%s: Service %s has the port %s", build, Manifests.name(service), endpoint.path("port").asText()).isTrue();
      }
    }
    assertThat(scraped).as(build).isEqualTo(SERVES_METRICS);
    try (OpsHttpServer ops = OpsHttpServer.start(0, () -> "up 1\n",
        () -> HealthAnswer.of("test", HealthAnswer.Check.LIVE, true, false, ""), () -> HealthAnswer.of("test", HealthAnswer.Check.READY, true, false, ""))) {
      assertThat(HttpCheck.status(ops.port(), endpoint.path("path").asText())).isEqualTo(200);
    }
  }

  @Test
  void onlyOverlaysForClustersWithThePrometheusOperatorHaveAServiceMonitor() {
    assertThat(Manifests.render("base").ofKind("ServiceMonitor")).isEmpty();
    assertThat(Manifests.render("dev").ofKind("ServiceMonitor")).isEmpty();
  }

  @Test
  void thePlainPrometheusConfigFindsThePodsByTheirLabelsAndPorts() {
    Rendered rendered = Manifests.render("prod");
    JsonNode config = Manifests.read(Manifests.DEPLOY.resolve("prometheus").resolve("prometheus.yml")).get(0);
    Set<String> found = new HashSet<>();
    for (JsonNode job : config.path("scrape_configs")) {
      if (!job.has("kubernetes_sd_configs")) {
        continue;
      }
      assertThat(job.path("kubernetes_sd_configs").get(0).path("namespaces").path("names").toString()).contains("\"sluice\"");
      String label = null;
      String port = null;
      String component = null;
      for (JsonNode rule : job.path("relabel_configs")) {
        String source = rule.path("source_labels").path(0).asText();
        if (rule.path("target_label").asText().equals("component")) {
          component = rule.path("replacement").asText();
        }
        if (source.equals("__meta_kubernetes_pod_label_app_kubernetes_io_name")) {
          label = rule.path("regex").asText();
        } else if (source.equals("__meta_kubernetes_pod_container_port_number")) {
          port = rule.path("regex").asText();
        }
      }
      for (Workload workload : rendered.workloads()) {
        if (workload.podLabels().path("app.kubernetes.io/name").asText().equals(label)) {
          assertThat(Integer.toString(KubernetesPodsTest.httpPort(workload))).as(job.path("job_name").asText()).isEqualTo(port);
          assertThat(component).as(job.path("job_name").asText() + ": the component label the ServiceMonitor gives too")
              .isEqualTo(workload.podLabels().path("app.kubernetes.io/component").asText());
          found.add(workload.command());
        }
      }
    }
    assertThat(found).isEqualTo(SERVES_METRICS);
  }

  @ParameterizedTest
  @MethodSource("builds")
  void grafanaGetsEveryDashboardFromItsSidecarConfigMap(String build) throws IOException {
    JsonNode dashboards = Manifests.render(build).get("ConfigMap", "sluice-grafana-dashboards");
    assertThat(dashboards.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    assertThat(dashboards.path("data").properties()).extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrderElementsOf(GrafanaDashboardTest.DASHBOARDS);
    for (String dashboard : GrafanaDashboardTest.DASHBOARDS) {
      assertThat(dashboards.path("data").path(dashboard).asText()).as(dashboard)
          .isEqualTo(Files.readString(Manifests.DEPLOY.resolve("grafana").resolve(dashboard)));
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void networkPoliciesOpenThePortsThePodsUse(String build) {
    Rendered rendered = Manifests.render(build);
    JsonNode deny = rendered.get("NetworkPolicy", "sluice-default-deny");
    assertThat(deny.path("spec").path("policyTypes").toString()).contains("Ingress").contains("Egress");
    for (Workload workload : rendered.workloads()) {
      assertThat(Rendered.selects(deny.path("spec").path("podSelector").path("matchLabels"), workload.podLabels()))
          .as("%s: default deny covers %s", build, workload.name()).isTrue();
    }
    Workload ingress = rendered.running("ingress").get(0);
    URI bootstrap = URI.create("kafka://" + ingress.environment().get("SLUICE_BOOTSTRAP_SERVERS").split(",")[0]);
    URI registryUrl = URI.create(ingress.environment().get("SLUICE_SCHEMA_REGISTRY_URL"));
    Workload registry = rendered.running("registry").get(0);
    assertThat(registryUrl.getPort()).isEqualTo(KubernetesPodsTest.httpPort(registry));
    assertThat(registryUrl.getHost()).startsWith(registry.name() + ".");

    Set<Integer> egress = ports(rendered.get("NetworkPolicy", "sluice-egress").path("spec").path("egress"));
    assertThat(egress).contains(53, bootstrap.getPort(), registryUrl.getPort());
    Set<Integer> registryIn = ports(rendered.get("NetworkPolicy", "sluice-registry").path("spec").path("ingress"));
    assertThat(registryIn).containsExactly(KubernetesPodsTest.httpPort(registry));
    Set<Integer> metricsPorts = new HashSet<>();
    for (Workload workload : rendered.workloads()) {
      if (SERVES_METRICS.contains(workload.command())) {
        metricsPorts.add(KubernetesPodsTest.httpPort(workload));
      }
    }
    assertThat(ports(rendered.get("NetworkPolicy", "sluice-metrics").path("spec").path("ingress"))).isEqualTo(metricsPorts);

    Workload gateway = rendered.running("gateway").get(0);
    JsonNode api = rendered.get("NetworkPolicy", "sluice-gateway").path("spec");
    assertThat(Rendered.selects(api.path("podSelector").path("matchLabels"), gateway.podLabels())).as(build).isTrue();
    assertThat(ports(api.path("ingress"))).as("%s: the gateway's API port is open to its callers", build)
        .containsExactly(GatewayConfig.parse(gateway.componentSettings()).port());
  }

  private static Set<Integer> ports(JsonNode rules) {
    Set<Integer> ports = new HashSet<>();
    for (JsonNode rule : rules) {
      for (JsonNode port : rule.path("ports")) {
        ports.add(port.path("port").asInt());
      }
    }
    return ports;
  }
}
