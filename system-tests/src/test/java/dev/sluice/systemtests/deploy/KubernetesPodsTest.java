package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.CommandLines;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.platform.http.HealthAnswer;
import dev.sluice.platform.http.OpsHttpServer;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import dev.sluice.schemaregistry.InMemorySchemaStore;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pods of every build run as the apps need: probes on paths the apps serve and on the ports
 * they listen on, writable directories where the apps write (root filesystem read-only), non-root,
 * requests and limits, a grace period longer than the app's own shutdown bound, a disruption
 * budget and a Service that select the pods.
 */
class KubernetesPodsTest {
  private static OpsHttpServer ops;
  private static EmbeddedSchemaRegistry registry;

  static Stream<String> builds() {
    return KubernetesWorkloadsTest.builds();
  }

  @BeforeAll
  static void startTheAppsHttpServers() throws IOException {
    ops = OpsHttpServer.start(0, () -> "",
        () -> HealthAnswer.of("test", HealthAnswer.Check.LIVE, true, false, "live"), () -> HealthAnswer.of("test", HealthAnswer.Check.READY, true, false, "ready"));
    registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistryConfig.defaults("unused:9092").withPort(0), new InMemorySchemaStore());
  }

  @AfterAll
  static void stop() {
    ops.close();
    registry.close();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void probesUseThePathsAndThePortTheAppServes(String build) {
    for (Workload workload : Manifests.render(build).workloads()) {
      if (!workload.isService()) {
        continue;
      }
      int appPort = httpPort(workload);
      int served = workload.command().equals("registry") ? registry.port() : ops.port();
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        JsonNode get = workload.container().path(probe).path("httpGet");
        assertThat(get.isMissingNode()).as("%s: %s has an HTTP %s", build, workload.name(), probe).isFalse();
        assertThat(workload.port(get.path("port").asText())).as("%s: %s %s port", build, workload.name(), probe).isEqualTo(appPort);
        assertThat(HttpCheck.status(served, get.path("path").asText()))
            .as("%s: %s %s GET %s", build, workload.name(), probe, get.path("path").asText()).isEqualTo(200);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void everyPodRunsAsNonRootOnAReadOnlyRootWithWritableDirectoriesWhereTheAppWrites(String build) {
    for (Workload workload : Manifests.render(build).workloads()) {
      JsonNode pod = workload.podSpec().path("securityContext");
      JsonNode container = workload.container().path("securityContext");
      String what = build + ": " + workload.name();
      assertThat(pod.path("runAsNonRoot").asBoolean()).as(what).isTrue();
      assertThat(pod.path("runAsUser").asInt()).as(what).isPositive();
      assertThat(container.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
      assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
      assertThat(container.path("capabilities").path("drop").toString()).as(what).contains("ALL");
      assertThat(workload.podSpec().path("automountServiceAccountToken").asBoolean(true)).as(what).isFalse();
      List<String> written = new ArrayList<>(List.of("/tmp/"));
      Map<String, String> environment = workload.environment();
      if (environment.containsKey("SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION")) {
        written.add(environment.get("SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION"));
      }
      if (CommandLines.isComponent(workload.commandLine())) {
        Map<String, String> settings = workload.componentSettings();
        switch (workload.command()) {
          case "ingress", "monitor" -> written.add(settings.get("state.dir") + "/");
          case "worker" -> written.add(RuntimeConfig.from(settings).scratchDir() + "/");
          default -> { } // the gateway writes nothing of its own
        }
      }
      for (String path : written) {
        assertThat(workload.mountPaths()).as("%s: a volume holds %s", what, path)
            .anyMatch(mount -> path.startsWith(mount.endsWith("/") ? mount : mount + "/"));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void everyContainerHasRequestsAndLimitsAndOutlastsItsShutdownBound(String build) {
    for (Workload workload : Manifests.render(build).workloads()) {
      JsonNode resources = workload.container().path("resources");
      for (String kind : List.of("requests", "limits")) {
        assertThat(resources.path(kind).has("cpu") && resources.path(kind).has("memory"))
            .as("%s: %s %s cpu and memory", build, workload.name(), kind).isTrue();
      }
      assertThat(resources.path("limits").path("memory").asText()).as("%s: %s memory request = limit (no overcommit)", build, workload.name())
          .isEqualTo(resources.path("requests").path("memory").asText());
      if (CommandLines.isComponent(workload.commandLine())) {
        assertThat(Duration.ofSeconds(workload.podSpec().path("terminationGracePeriodSeconds").asLong(30)))
            .as("%s: %s grace period", build, workload.name()).isGreaterThan(shutdownTimeout(workload));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void servicesAndDisruptionBudgetsSelectTheirWorkloadsPods(String build) {
    Rendered rendered = Manifests.render(build);
    for (Workload workload : rendered.workloads()) {
      if (!workload.isService()) {
        continue;
      }
      JsonNode selector = workload.resource().path("spec").path("selector").path("matchLabels");
      assertThat(Rendered.selects(selector, workload.podLabels())).as("%s: %s selector", build, workload.name()).isTrue();
      JsonNode service = rendered.get("Service", workload.name());
      assertThat(Rendered.selects(service.path("spec").path("selector"), workload.podLabels())).as("%s: Service %s", build, workload.name()).isTrue();
      service.path("spec").path("ports").forEach(port -> workload.port(port.path("targetPort").asText()));
      boolean singleWriter = workload.resource().path("spec").path("strategy").path("type").asText().equals("Recreate");
      if (singleWriter) {
        assertThat(workload.resource().path("spec").path("replicas").asInt()).as("%s: %s runs one writer", build, workload.name()).isEqualTo(1);
      } else {
        JsonNode budget = rendered.get("PodDisruptionBudget", workload.name());
        assertThat(Rendered.selects(budget.path("spec").path("selector").path("matchLabels"), workload.podLabels()))
            .as("%s: PodDisruptionBudget %s", build, workload.name()).isTrue();
      }
    }
  }

  /** The port the app's /metrics and /health listen on, as the app reads its settings. */
  static int httpPort(Workload workload) {
    return AppPorts.httpPort(workload.commandLine(), workload.environment());
  }

  private static Duration shutdownTimeout(Workload workload) {
    return switch (workload.command()) {
      case "ingress" -> IngressConfig.parse(workload.componentSettings()).shutdownTimeout();
      case "monitor" -> MonitorConfig.parse(workload.componentSettings()).shutdownTimeout();
      case "worker" -> WorkerConfig.parse(workload.componentSettings()).shutdownTimeout();
      case "gateway" -> GatewayConfig.parse(workload.componentSettings()).shutdownTimeout();
      default -> throw new AssertionError(workload.command());
    };
  }
}
