package dev.sluice.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.cli.Sluice;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@RealKafka(schemaRegistry = true)
class TopicsCommandTest {

  @Test
  void createsEveryPipelineTopicWithCompactedRegistryTopicsAndIsIdempotent(KafkaCluster kafka) throws Exception {
    Run first = run("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
        "--prefix", "first", "--model", "minilm");

    assertThat(first.exit).as(first.err).isZero();
    assertThat(first.out).contains("first.requests", "first.inference.minilm", "first.models", "_schemas").contains("created");
    try (Admin admin = Admin.create(kafka.adminClientProperties())) {
      Set<String> names = admin.listTopics().names().get();
      assertThat(names).contains("first.requests", "first.requests.rejected", "first.inference.minilm", "first.results",
          "first.results.shadow", "first.results.cache", "first.metrics.events", "first.metrics", "first.alerts", "first.feedback",
          "first.models");
      assertThat(admin.describeTopics(Set.of("first.requests")).allTopicNames().get().get("first.requests").partitions()).hasSize(3);
      ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, "first.models");
      Config config = admin.describeConfigs(Set.of(models)).all().get().get(models);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      ConfigResource cache = new ConfigResource(ConfigResource.Type.TOPIC, "first.results.cache");
      assertThat(admin.describeConfigs(Set.of(cache)).all().get().get(cache).get("cleanup.policy").value()).isEqualTo("compact,delete");
    }

    assertThat(first.out).contains("first.requests-value", "InferenceRequest", "registered (version 1");
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()))) {
      assertThat(registry.listSubjects()).contains("first.requests-value", "first.requests.rejected-value", "first.results-value",
          "first.results.shadow-value", "first.results.cache-value", "first.metrics.events-value", "first.metrics-value",
          "first.alerts-value", "first.feedback-value", "first.inference.minilm-value", "first.models-value");
      assertThat(registry.getLatest("first.requests-value").schema()).isEqualTo(InferenceRequest.getClassSchema());
      assertThat(registry.getLatest("first.inference.minilm-value").schema()).isEqualTo(PreparedRequest.getClassSchema());
    }

    Run second = run("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
        "--prefix", "first", "--model", "minilm");

    assertThat(second.exit).as(second.err).isZero();
    assertThat(second.out).doesNotContain("created", "registered").contains("exists", "exists (version 1");
  }

  @Test
  void aSubjectHoldingAnIncompatibleSchemaIsReportedLeftAloneAndExitsTwo(KafkaCluster kafka) throws Exception {
    Schema foreign = SchemaBuilder.record("InferenceRequest").namespace("elsewhere").fields().requiredLong("request_id").endRecord();
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()))) {
      registry.register("clash.requests-value", foreign);

      Run run = run("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
          "--prefix", "clash");

      assertThat(run.exit).as(run.err).isEqualTo(2);
      assertThat(run.out).containsPattern("clash.requests-value +InferenceRequest +REFUSED: .+")
          .contains("clash.results-value").contains("registered (version 1");
      assertThat(registry.listVersions("clash.requests-value")).containsExactly(1);
      assertThat(registry.getLatest("clash.requests-value").schema()).isEqualTo(foreign);
    }
  }

  @Test
  void unreachableRegistryIsOneLineAfterTheTopicsAreInPlace(KafkaCluster kafka) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = run("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", "http://localhost:" + closedPort,
        "--prefix", "noregistry");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.out).contains("noregistry.requests", "created");
    assertThat(run.err.strip()).doesNotContain("\n").doesNotContain("Exception")
        .startsWith("sluice: cannot reach the schema registry at http://localhost:" + closedPort).contains("--no-schemas");

    Run skipped = run("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url",
        "http://localhost:" + closedPort, "--prefix", "noregistry", "--no-schemas");

    assertThat(skipped.exit).as(skipped.err).isZero();
    assertThat(skipped.out).contains("exists").doesNotContain("-value");
  }

  @Test
  void reportsAnExistingTopicWithTheWrongShapeAndExitsTwo(KafkaCluster kafka) throws Exception {
    try (Admin admin = Admin.create(kafka.adminClientProperties())) {
      admin.createTopics(Set.of(new NewTopic("odd.models", 4, (short) 1))).all().get();
    }

    Run run = run("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
        "--prefix", "odd");

    assertThat(run.exit).as(run.err).isEqualTo(2);
    assertThat(run.out).contains("odd.models").contains("DIFFERS: 4 partitions, expected 1; cleanup.policy delete, expected compact");
  }

  @Test
  void unreachableBrokerIsOneLineSayingWhatToDo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = run("topics", "create", "--bootstrap-servers", "localhost:" + closedPort);

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err.strip()).doesNotContain("\n").doesNotContain("Exception")
        .startsWith("sluice: cannot reach Kafka at localhost:" + closedPort).contains("./sluice up");
  }

  @Test
  void invalidTopicSettingsAreReportedInKafkasShape() {
    Run run = run("topics", "create", "--bootstrap-servers", "localhost:1", "--partitions", "0", "--replication-factor", "2",
        "--min-insync-replicas", "3");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err).contains("Invalid value 0 for configuration topic.partitions: must be >= 1")
        .contains("Invalid value 3 for configuration topic.min.insync.replicas: must be between 1 and the replication factor 2");
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Sluice.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private record Run(int exit, String out, String err) {}

}
