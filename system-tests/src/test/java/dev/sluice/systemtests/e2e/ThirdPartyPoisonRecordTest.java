package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Status;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records that once stopped the ingress and the worker, sent gzip-compressed by kafkajs with
 * the kafkajs Confluent schema-registry client (clients no one here wrote) between valid
 * requests: a text over 1 MiB (the broker takes it compressed), {@code created_at} at ±8.64e15 ms,
 * a text of invisible code points, a record without a timestamp (-1). Each bad one ends as one dead letter with its reason, every valid
 * request gets its OK result, and neither component stops.
 */
@RealKafka(schemaRegistry = true)
@Timeout(400)
class ThirdPartyPoisonRecordTest {
  @Test
  void poisonRecordsFromKafkajsEndAsDeadLettersWhileValidTrafficFlows(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "thirdparty", TopicSettings.singleBroker(), 1),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      Path schema = dir.resolve("InferenceRequest.avsc");
      Files.writeString(schema, InferenceRequest.getClassSchema().toString());

      JsonNode report = NodeClients.run(Duration.ofMinutes(3), "produce-poison.mjs", kafka.bootstrapServers(), stack.schemaRegistryUrl(),
          stack.topics().requests(), schema.toString(), "40");

      Map<String, String> sent = new LinkedHashMap<>();
      report.get("sent").properties().forEach(entry -> sent.put(entry.getKey(), entry.getValue().asText()));
      assertThat(sent).hasSize(45);
      List<String> ids = new ArrayList<>(sent.keySet());
      traffic.awaitOutcomes(ids, Duration.ofMinutes(4));
      traffic.assertExactlyOnce(ids);

      Map<String, ReasonCode> reasons = new LinkedHashMap<>();
      for (String id : List.of("tp-huge", "tp-future", "tp-past", "tp-invisible")) {
        reasons.put(id, traffic.outcomes.rejections(id).isEmpty() ? null : traffic.outcomes.rejections(id).get(0).value().getReason());
      }
      assertThat(reasons).isEqualTo(Map.of("tp-huge", ReasonCode.PAYLOAD_TOO_LARGE, "tp-future", ReasonCode.INVALID_TIMESTAMP,
          "tp-past", ReasonCode.INVALID_TIMESTAMP, "tp-invisible", ReasonCode.INVALID_TEXT));
      RejectedRequest huge = traffic.outcomes.rejections("tp-huge").get(0).value();
      assertThat(huge.getOriginalTruncated()).isTrue();
      assertThat(huge.getOriginalValueSize()).isGreaterThan(1_048_576);
      List<String> notOk = ids.stream().filter(id -> sent.get(id).equals("valid") || sent.get(id).equals("untimed"))
          .filter(id -> traffic.outcomes.results(id).isEmpty() || traffic.outcomes.results(id).get(0).value().getStatus() != Status.OK)
          .toList();
      assertThat(notOk).as("valid requests without an OK result").isEmpty();
      assertThat(requestTimestamp(stack, "tp-untimed")).as("the broker kept the record without a timestamp").isEqualTo(-1L);
      assertThat(log.toString()).doesNotContain("Fatal failure", "stopped on a failure");
    }
  }

  /** The timestamp of the record keyed {@code key} on the request topic, as a consumer sees it. */
  private static long requestTimestamp(PipelineStack stack, String key) {
    Map<String, Object> properties = new HashMap<>(stack.clientProperties());
    properties.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
        properties, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(stack.topics().requests()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(record.key())) {
            return record.timestamp();
          }
        }
      }
    }
    throw new AssertionError("no record keyed " + key + " on " + stack.topics().requests());
  }
}
