package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.schemas.topics.ValueContract;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A freshly started stack publishes its contracts: a Node client no one here wrote (kafkajs with
 * the kafkajs registry client, and Confluent's own {@code @confluentinc/schemaregistry}) fetches
 * the request schema from the registry, registers nothing, produces requests and decodes the
 * results with the published result schema.
 */
@RealKafka(schemaRegistry = true)
@Timeout(400)
class ThirdPartyContractTest {
  private static final int REQUESTS = 20;

  @Test
  void aNodeClientUsingOnlyThePublishedContractsGetsItsResults(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "contract", TopicSettings.singleBroker(), 1),
            new PrintWriter(new StringWriter()));
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(stack.schemaRegistryUrl()))) {
      List<ValueContract> contracts = stack.topics().valueContracts(List.of("minilm"));
      List<String> unpublished = new ArrayList<>();
      for (ValueContract contract : contracts) {
        if (!registry.listSubjects().contains(contract.subject()) || !registry.getLatest(contract.subject()).schema().equals(contract.schema())) {
          unpublished.add(contract.subject());
        }
      }
      assertThat(unpublished).as("subjects without their contract after start").isEmpty();

      JsonNode report = NodeClients.run(Duration.ofMinutes(3), "contract-roundtrip.mjs", kafka.bootstrapServers(), stack.schemaRegistryUrl(),
          stack.topics().prefix(), "minilm", Integer.toString(REQUESTS));

      assertThat(report.get("failure").isNull()).as("failure reported by the Node client: %s", report.get("failure")).isTrue();
      int requestId = registry.getLatest(stack.topics().requests() + "-value").id();
      int resultId = registry.getLatest(stack.topics().results() + "-value").id();
      assertThat(report.get("requestSchemaId").asInt()).isEqualTo(requestId);
      assertThat(report.get("confluentRequestSchemaId").asInt()).isEqualTo(requestId);
      assertThat(report.get("resultSchemaId").asInt()).isEqualTo(resultId);
      JsonNode results = report.get("results");
      assertThat(results.size()).isEqualTo(REQUESTS);
      for (int i = 0; i < REQUESTS; i++) {
        JsonNode result = results.get("contract-" + i);
        assertThat(result).as("result of contract-%d", i).isNotNull();
        assertThat(result.get("status").asText()).as("status of contract-%d", i).isEqualTo("OK");
        assertThat(result.get("outputType").asText()).isEqualTo("dev.sluice.avro.Embedding");
        assertThat(result.get("dimensions").asInt()).isEqualTo(384);
        assertThat(result.get("writerSchemaId").asInt()).as("the results are written with the published schema").isEqualTo(resultId);
        assertThat(result.get("attributes").get("client").asText()).isEqualTo("node");
      }
      assertThat(registry.listVersions(stack.topics().requests() + "-value")).as("the Node clients registered nothing").containsExactly(1);
    }
  }
}
