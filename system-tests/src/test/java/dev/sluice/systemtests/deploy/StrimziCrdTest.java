package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KafkaTopics and KafkaUsers of every build are valid {@code kafka.strimzi.io/v1} resources:
 * checked against the openAPI schemas of Strimzi's own CustomResourceDefinitions
 * ({@code src/test/resources/strimzi}, where a README says which Strimzi commit they come from),
 * which serve only v1 (Strimzi 1.x; 0.49 added it beside v1beta2).
 */
class StrimziCrdTest {
  private static final Path CRDS = Path.of("src", "test", "resources", "strimzi");

  static Stream<String> builds() {
    return KubernetesWorkloadsTest.builds();
  }

  @ParameterizedTest
  @MethodSource("builds")
  void kafkaTopicsAndUsersAreValidStrimziV1Resources(String build) {
    Rendered rendered = Manifests.render(build);
    for (String kind : List.of("KafkaTopic", "KafkaUser")) {
      JsonNode crd = crd(kind);
      List<ObjectNode> resources = rendered.ofKind(kind);
      assertThat(resources).as(build + ": " + kind + "s").isNotEmpty();
      for (ObjectNode resource : resources) {
        String what = build + ": " + kind + " " + Manifests.name(resource);
        assertThat(resource.path("apiVersion").asText()).as(what).isEqualTo("kafka.strimzi.io/v1");
        assertThat(resource.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(what + " names its cluster")
            .isNotEmpty();
        assertThat(StructuralSchema.violations(schema(crd, "v1"), resource)).as(what).isEmpty();
      }
    }
  }

  @Test
  void theSchemaCheckFindsWhatTheApiServerWouldRefuse() {
    JsonNode user = Manifests.readString("""
        apiVersion: kafka.strimzi.io/v1
        kind: KafkaUser
        metadata: {name: u}
        spec:
          authentication: {type: scram-sha-512}
          authorization:
            type: simple
            acls:
              - resource: {type: topic, name: t, patternType: literal}
                operation: Read
              - resource: {type: topic, name: t, patternType: literal}
                operations: [Peek]
        """).get(0);

    assertThat(StructuralSchema.violations(schema(crd("KafkaUser"), "v1"), user)).containsExactlyInAnyOrder(
        ".spec.authorization.acls[0]: operations is required",
        ".spec.authorization.acls[0].operation: not a field of the schema",
        ".spec.authorization.acls[1].operations[0]: \"Peek\" is not one of [\"Read\",\"Write\",\"Create\",\"Delete\",\"Alter\","
            + "\"Describe\",\"ClusterAction\",\"AlterConfigs\",\"DescribeConfigs\",\"IdempotentWrite\",\"All\"]");
  }

  private static JsonNode crd(String kind) {
    String file = kind.equals("KafkaTopic") ? "043-Crd-kafkatopic.yaml" : "044-Crd-kafkauser.yaml";
    JsonNode crd = Manifests.read(CRDS.resolve(file)).get(0);
    assertThat(crd.path("spec").path("names").path("kind").asText()).isEqualTo(kind);
    return crd;
  }

  private static JsonNode schema(JsonNode crd, String version) {
    for (JsonNode served : crd.path("spec").path("versions")) {
      if (served.path("name").asText().equals(version) && served.path("served").asBoolean()) {
        return served.path("schema").path("openAPIV3Schema");
      }
    }
    throw new AssertionError(crd.path("metadata").path("name").asText() + " serves no version " + version);
  }
}
