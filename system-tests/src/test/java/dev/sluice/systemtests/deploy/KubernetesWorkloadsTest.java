package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.CommandLines;
import dev.sluice.gateway.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployments and Jobs of the base and every overlay run real sluice commands with settings
 * those commands read and accept, in the images built for them, with credentials from Secrets.
 */
class KubernetesWorkloadsTest {
  /** Commands that talk to the schema registry only, never to Kafka. */
  private static final List<String> REGISTRY_ONLY = List.of("schemas register");

  static Stream<String> builds() {
    return Manifests.BUILDS.stream();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void runsTheComponentsOneWorkerDeploymentPerModel(String build) {
    Rendered rendered = Manifests.render(build);
    assertThat(rendered.workloads()).extracting(Workload::command)
        .contains("ingress", "monitor", "gateway", "worker", "registry", "models deploy", "schemas register");
    List<String> models = new ArrayList<>();
    for (Workload worker : rendered.running("worker")) {
      String model = (String) CommandLines.optionValue(worker.commandLine(), "--model");
      models.add(model);
      assertThat(worker.kind()).isEqualTo("Deployment");
      assertThat(worker.name()).isEqualTo("sluice-worker-" + model);
      assertThat(worker.podLabels().path("sluice.dev/model").asText()).isEqualTo(model);
      assertThat(worker.resource().path("spec").path("selector").path("matchLabels").path("sluice.dev/model").asText()).isEqualTo(model);
    }
    assertThat(models).isNotEmpty().doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void everyContainerGetsOnlySettingsItsCommandReadsAndAccepts(String build) {
    for (Workload workload : Manifests.render(build).workloads()) {
      assertThat(SettingsCheck.problems(workload.commandLine(), workload.environmentWithSecretFiles()))
          .as("%s: %s (sluice %s)", build, workload.name(), workload.command()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void everyImageIsATargetOfTheDockerfileThatRunsTheSameCommand(String build) {
    ContainerFile dockerfile = ContainerFile.read();
    for (Workload workload : Manifests.render(build).workloads()) {
      String baseName = Manifests.imageBaseName(workload.image());
      assertThat(baseName).as("%s: %s image", build, workload.name()).startsWith("sluice-");
      String target = baseName.substring("sluice-".length());
      List<String> cmd = ContainerFile.execForm(dockerfile.effective(target, "CMD").orElseThrow());
      if (!target.equals("cli")) {
        assertThat(CommandLines.commandName(CommandLines.parse(cmd)))
            .as("%s: %s runs `%s` in the image built for `%s`", build, workload.name(), workload.command(), cmd)
            .isEqualTo(workload.command());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void credentialsComeFromTheSecretsOfTheComponentsKafkaUsers(String build) {
    Rendered rendered = Manifests.render(build);
    assertThat(rendered.ofKind("Secret")).as("Secrets are never part of the manifests").isEmpty();
    for (Workload workload : rendered.workloads()) {
      Map<String, String> secrets = workload.secretVariables();
      if (REGISTRY_ONLY.contains(workload.command())) {
        assertThat(secrets).as("%s: %s talks to the schema registry only and gets no Kafka login", build, workload.name()).isEmpty();
        assertThat(workload.environment()).as("%s: %s", build, workload.name()).doesNotContainKey("SLUICE_BOOTSTRAP_SERVERS");
        continue;
      }
      assertThat(secrets).as("%s: %s", build, workload.name()).containsOnlyKeys("SLUICE_KAFKA_SASL_JAAS_CONFIG");
      String secret = secrets.get("SLUICE_KAFKA_SASL_JAAS_CONFIG");
      String user = secret.substring(0, secret.indexOf('/'));
      assertThat(secret).isEqualTo(user + "/sasl.jaas.config");
      JsonNode kafkaUser = rendered.get("KafkaUser", user);
      assertThat(kafkaUser.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
      assertThat(workload.environment()).containsEntry("SLUICE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    }
    for (JsonNode configMap : rendered.ofKind("ConfigMap")) {
      configMap.path("data").properties().forEach(entry -> assertThat(entry.getKey().toUpperCase())
          .as("%s: ConfigMap %s holds no credentials", build, Manifests.name(configMap))
          .doesNotContain("PASSWORD").doesNotContain("JAAS").doesNotContain("TOKEN").doesNotContain("USER_INFO"));
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void eachGatewayPodOwnsTheReplyPartitionOfItsIndexAndServesTlsWithKeysFromSecrets(String build) {
    Rendered rendered = Manifests.render(build);
    List<Workload> gateways = rendered.running("gateway");
    assertThat(gateways).as(build).hasSize(1);
    Workload gateway = gateways.get(0);
    assertThat(gateway.kind()).as("%s: a stable index per pod", build).isEqualTo("StatefulSet");
    assertThat(gateway.fieldVariables()).containsEntry("SLUICE_GATEWAY_REPLY_PARTITION", Workload.POD_INDEX_FIELD);
    GatewayConfig config = GatewayConfig.parse(gateway.componentSettings());
    assertThat(config.replyPartition()).isZero();
    assertThat(config.tls()).as("%s: HTTPS beyond loopback", build).isNotNull();
    assertThat(config.loopbackOnly()).isFalse();
    assertThat(config.apiKeys().isEmpty()).as("%s: API keys from the mounted Secret", build).isFalse();
    assertThat(config.allowAnonymous()).isFalse();
    assertThat(gateway.port("api")).isEqualTo(config.port());
    JsonNode pause = gateway.container().path("lifecycle").path("preStop").path("exec").path("command");
    assertThat(pause.get(0).asText()).as("%s: a preStop pause while endpoints learn the pod is going", build).isEqualTo("sleep");
    assertThat(gateway.podSpec().path("terminationGracePeriodSeconds").asLong())
        .as("%s: the pod outlives the pause and the gateway's drain", build)
        .isGreaterThan(pause.get(1).asLong() + config.shutdownTimeout().toSeconds());
  }

  @ParameterizedTest
  @MethodSource("builds")
  void workerIdsAreThePodNamesSoTransactionalIdsSurviveRestarts(String build) {
    for (Workload worker : Manifests.render(build).running("worker")) {
      assertThat(worker.fieldVariables()).containsEntry("SLUICE_WORKER_ID", "metadata.name");
    }
  }
}
