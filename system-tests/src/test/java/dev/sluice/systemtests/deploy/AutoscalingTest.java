package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.worker.WorkerConfig;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KEDA scales each worker Deployment on the lag of the group and topic that worker really
 * consumes, and the ingress on its application id's lag on the requests topic, never beyond the
 * topic's partitions; the gateway on CPU, no further than the partitions of the replies topic (one
 * per pod); KEDA's own Kafka user may only describe those groups and topics.
 */
class AutoscalingTest {
  static Stream<String> builds() {
    return KubernetesWorkloadsTest.builds();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void workersScaleOnTheLagOfTheirGroupOnTheirTopicUpToItsPartitions(String build) {
    Rendered rendered = Manifests.render(build);
    for (Workload worker : rendered.running("worker")) {
      WorkerConfig config = WorkerConfig.parse(worker.componentSettings());
      assertScaledOnLag(rendered, worker, config.groupId(), config.inferenceTopic(), false);
    }
  }

  @ParameterizedTest
  @MethodSource("builds")
  void theIngressScalesOnItsLagUpToThePartitionsOfTheRequestsTopic(String build) {
    Rendered rendered = Manifests.render(build);
    Workload ingress = rendered.running("ingress").get(0);
    IngressConfig config = IngressConfig.parse(ingress.componentSettings());
    assertScaledOnLag(rendered, ingress, config.applicationId(), config.topics().requests(), !build.equals("dev"));
  }

  @ParameterizedTest
  @MethodSource("builds")
  void theGatewayScalesOnCpuNoFurtherThanThePartitionsOfTheRepliesTopic(String build) {
    Rendered rendered = Manifests.render(build);
    Workload gateway = rendered.running("gateway").get(0);
    String what = build + ": " + gateway.name();
    assertThat(gateway.resource().path("spec").has("replicas")).as(what + " leaves replicas to the autoscaler").isFalse();
    JsonNode autoscaler = rendered.get("HorizontalPodAutoscaler", gateway.name()).path("spec");
    assertThat(autoscaler.path("scaleTargetRef").path("kind").asText()).isEqualTo(gateway.kind());
    assertThat(autoscaler.path("scaleTargetRef").path("name").asText()).isEqualTo(gateway.name());
    assertThat(autoscaler.path("metrics").get(0).path("resource").path("name").asText()).isEqualTo("cpu");
    assertThat(gateway.container().path("resources").path("requests").has("cpu")).as(what + " CPU utilization needs a request").isTrue();
    String replies = GatewayConfig.parse(gateway.componentSettings()).topics().replies();
    int max = autoscaler.path("maxReplicas").asInt();
    assertThat(autoscaler.path("minReplicas").asInt()).as(what).isBetween(1, max);
    assertThat(max).as(what + ": one partition of " + replies + " per pod").isLessThanOrEqualTo(partitions(rendered, replies));
  }

  @ParameterizedTest
  @MethodSource("builds")
  void kedaMayOnlyDescribeTheGroupsAndTopicsItWatches(String build) {
    Rendered rendered = Manifests.render(build);
    JsonNode user = kedaUser(rendered);
    Map<String, Set<String>> topics = KafkaResourcesTest.grants(user, "topic");
    Map<String, Set<String>> groups = KafkaResourcesTest.grants(user, "group");
    for (JsonNode scaled : rendered.ofKind("ScaledObject")) {
      JsonNode metadata = scaled.path("spec").path("triggers").get(0).path("metadata");
      assertThat(topics.get(metadata.path("topic").asText())).as(build).containsExactly("Describe");
      assertThat(groups.get(metadata.path("consumerGroup").asText())).as(build).containsExactly("Describe");
    }
    assertThat(topics.size() + groups.size()).as("%s: grants beyond the scaled groups and topics", build)
        .isEqualTo(2 * rendered.ofKind("ScaledObject").size());
  }

  /** The KafkaUser whose password KEDA's TriggerAuthentication logs in with. */
  static JsonNode kedaUser(Rendered rendered) {
    JsonNode auth = rendered.get("TriggerAuthentication", "sluice-keda-kafka");
    String credentials = null;
    for (JsonNode ref : auth.path("spec").path("secretTargetRef")) {
      if (ref.path("parameter").asText().equals("password")) {
        credentials = ref.path("name").asText();
      }
    }
    for (JsonNode candidate : rendered.ofKind("KafkaUser")) {
      JsonNode password = candidate.path("spec").path("authentication").path("password").path("valueFrom").path("secretKeyRef");
      if (password.path("name").asText().equals(credentials)) {
        return candidate;
      }
    }
    throw new AssertionError(rendered.name() + ": no KafkaUser logs in with the password of Secret " + credentials + " that KEDA uses");
  }

  private static void assertScaledOnLag(Rendered rendered, Workload workload, String group, String topic, boolean upToPartitions) {
    String what = rendered.name() + ": " + workload.name();
    assertThat(workload.resource().path("spec").has("replicas")).as(what + " leaves replicas to the autoscaler").isFalse();
    JsonNode scaled = rendered.ofKind("ScaledObject").stream()
        .filter(candidate -> candidate.path("spec").path("scaleTargetRef").path("name").asText().equals(workload.name()))
        .findFirst().orElseThrow(() -> new AssertionError(what + " has no ScaledObject"));
    JsonNode triggers = scaled.path("spec").path("triggers");
    assertThat(triggers).as(what).hasSize(1);
    JsonNode trigger = triggers.get(0);
    JsonNode metadata = trigger.path("metadata");
    assertThat(trigger.path("type").asText()).as(what).isEqualTo("kafka");
    assertThat(metadata.path("consumerGroup").asText()).as(what).isEqualTo(group);
    assertThat(metadata.path("topic").asText()).as(what).isEqualTo(topic);
    Map<String, String> environment = workload.environment();
    assertThat(metadata.path("bootstrapServers").asText()).as(what).isEqualTo(environment.get("SLUICE_BOOTSTRAP_SERVERS"));
    assertThat(metadata.path("sasl").asText()).as(what).isEqualTo("scram_sha512");
    assertThat(environment.get("SLUICE_KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
    assertThat(metadata.path("tls").asText().equals("enable")).as(what + " TLS as the pods")
        .isEqualTo(environment.getOrDefault("SLUICE_KAFKA_SECURITY_PROTOCOL", "").endsWith("SSL"));
    rendered.get("TriggerAuthentication", trigger.path("authenticationRef").path("name").asText());
    int partitions = partitions(rendered, topic);
    int max = scaled.path("spec").path("maxReplicaCount").asInt();
    int min = scaled.path("spec").path("minReplicaCount").asInt();
    assertThat(min).as(what).isBetween(1, max);
    if (upToPartitions) {
      assertThat(max).as(what + " scales up to the partitions of " + topic).isEqualTo(partitions);
    } else {
      assertThat(max).as(what + " scales no further than the partitions of " + topic).isLessThanOrEqualTo(partitions);
    }
  }

  private static int partitions(Rendered rendered, String topic) {
    return rendered.ofKind("KafkaTopic").stream().filter(candidate -> candidate.path("spec").path("topicName").asText().equals(topic))
        .findFirst().orElseThrow(() -> new AssertionError(rendered.name() + ": no KafkaTopic " + topic))
        .path("spec").path("partitions").asInt();
  }
}
