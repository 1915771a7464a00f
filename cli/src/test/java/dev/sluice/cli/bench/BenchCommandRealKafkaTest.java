package dev.sluice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.Status;
import dev.sluice.loadgen.PipelineStandIn;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice bench} against a real broker and registry. The pipeline does not run here: {@link
 * PipelineStandIn}, a test double, answers the requests (the end-to-end bench against the real
 * ingress and worker is a separate test).
 */
@RealKafka(schemaRegistry = true)
class BenchCommandRealKafkaTest {

  @Test
  void theCommandRunsAClosedLoopWithWarmupWritesTheJsonAndExitsZeroWhenAllIsAnswered(KafkaCluster kafka) throws Exception {
    PipelineTopics topics = PipelineStandIn.createTopics(kafka, "cmd");
    java.nio.file.Path json = java.nio.file.Files.createTempDirectory("bench").resolve("report.json");
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
        PipelineStandIn standIn = new PipelineStandIn(kafka.adminClientProperties(), registry, topics,
            request -> List.of(PipelineStandIn.result(topics.results(), request, Status.OK, false))).start()) {

      BenchCli run = BenchCli.run("--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
          "--prefix", "cmd", "--concurrency", "4", "--count", "40", "--warmup", "10", "--timeout", "10s", "--output", json.toString());

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("closed loop with 4 outstanding").contains("every request accounted for: 50 sent");
      JsonNode report = new ObjectMapper().readTree(json.toFile());
      assertThat(report.get("accounted_for").asBoolean()).isTrue();
      assertThat(report.get("measured").get("sent").asLong()).isEqualTo(40);
      assertThat(report.get("measured").get("ok").asLong()).isEqualTo(40);
      assertThat(report.get("measured").get("latency_ms").get("count").asLong()).isEqualTo(40);
      assertThat(report.get("warmup").get("sent").asLong()).isEqualTo(10);
      assertThat(report.get("config").get("concurrency").asInt()).isEqualTo(4);

      BenchCli asJson = BenchCli.run("--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
          "--prefix", "cmd", "--concurrency", "4", "--count", "20", "--timeout", "10s", "--output", "-", "--json");

      assertThat(asJson.exit()).as(asJson.err()).isZero();
      JsonNode printed = new ObjectMapper().readTree(asJson.out());
      assertThat(printed.get("accounted_for").asBoolean()).isTrue();
      assertThat(printed.get("measured").get("ok").asLong()).isEqualTo(20);
    }
  }

  @Test
  void aMissingTopicIsOneLineSayingHowToCreateIt(KafkaCluster kafka) {
    BenchCli run = BenchCli.run("--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(),
        "--prefix", "nothing-here", "--count", "1", "--output", "-");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("sluice: topic nothing-here.requests does not exist: create the pipeline's topics with "
        + "./sluice topics create --prefix nothing-here, start the pipeline, or pass the right --prefix");
  }

}
