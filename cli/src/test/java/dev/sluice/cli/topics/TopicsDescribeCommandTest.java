package dev.sluice.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.PipelineFixture;
import dev.sluice.schemas.testing.Samples;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@RealKafka(schemaRegistry = true)
class TopicsDescribeCommandTest {

  @Test
  void describesEveryTopicWithItsShapeAndRecordsAndTheWorkerGroupsLag(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "describe", "mm")) {
      String inference = pipeline.topics.inference("mm");
      Map<String, byte[]> five = new LinkedHashMap<>();
      for (int i = 0; i < 5; i++) {
        five.put("k" + i, new byte[] {(byte) i});
      }
      pipeline.produceRaw(inference, five);
      pipeline.produce(pipeline.topics.results(), Map.of("r-1", Samples.embeddingResult("r-1")));
      commit("sluice-worker-mm", new TopicPartition(inference, 0), 2, kafka);

      CliRun run = CliRun.of(new TopicsCommand(), pipeline.with("describe", "--model", "mm"));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(row(run, pipeline.topics.requests())).containsExactly(pipeline.topics.requests(), "exists", "1", "1", "delete", "1", "7d", "0");
      assertThat(row(run, inference)).containsExactly(inference, "exists", "1", "1", "delete", "1", "7d", "5");
      assertThat(row(run, pipeline.topics.results())).endsWith("1");
      assertThat(row(run, pipeline.topics.models())).contains("compact");
      assertThat(row(run, pipeline.topics.resultCache())).contains("compact,delete");
      assertThat(row(run, "sluice-worker-mm")).containsExactly("sluice-worker-mm", "3", inference, "3");
      assertThat(row(run, "sluice-ingress")).startsWith("sluice-ingress", "-", "no");

      CliRun json = CliRun.of(new TopicsCommand(), pipeline.with("describe", "--model", "mm", "--json"));

      assertThat(json.exit()).as(json.err()).isZero();
      JsonNode root = new ObjectMapper().readTree(json.out());
      JsonNode topic = StreamSupport.stream(root.get("topics").spliterator(), false)
          .filter(node -> node.get("name").asText().equals(inference)).findFirst().orElseThrow();
      assertThat(topic.get("state").asText()).isEqualTo("exists");
      assertThat(topic.get("end_offsets").asLong()).isEqualTo(5);
      assertThat(topic.get("retention_ms").asLong()).isEqualTo(604_800_000L);
      JsonNode group = StreamSupport.stream(root.get("groups").spliterator(), false)
          .filter(node -> node.get("group").asText().equals("sluice-worker-mm")).findFirst().orElseThrow();
      assertThat(group.get("lag").asLong()).isEqualTo(3);
      assertThat(group.get("by_topic").get(inference).asLong()).isEqualTo(3);
      assertThat(root.get("missing")).isEmpty();
    }
  }

  @Test
  void aMissingTopicExitsTwoWithTheCommandThatCreatesIt(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "partial")) {
      CliRun run = CliRun.of(new TopicsCommand(), pipeline.with("describe", "--model", "mm"));

      assertThat(run.exit()).isEqualTo(2);
      assertThat(row(run, pipeline.topics.alerts())).startsWith(pipeline.topics.alerts(), "exists");
      assertThat(row(run, pipeline.topics.inference("mm"))).containsExactly(pipeline.topics.inference("mm"), "MISSING");
      assertThat(run.out()).contains("1 of 16 topics missing (" + pipeline.topics.inference("mm") + "): create them with ./sluice topics create --prefix " + pipeline.prefix() + " --model mm");
    }
  }

  private static void commit(String group, TopicPartition partition, long offset, KafkaCluster kafka) {
    Map<String, Object> props = new HashMap<>(kafka.adminClientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
    }
  }

  private static List<String> row(CliRun run, String first) {
    return run.outLines().stream().map(line -> List.of(line.trim().split("\\s+")))
        .filter(cells -> cells.get(0).equals(first)).findFirst().orElseThrow(() -> new AssertionError("no row " + first + " in\n" + run.out()));
  }
}
