package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schemas.topics.Replies;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways scale out on the replies topic: two instances, each its own process with its own reply
 * partition, answer only their own callers and nothing twice; one killed with SIGKILL mid-load
 * loses only the HTTP calls it held, every request it had sent still completes on Kafka exactly
 * once, and the other keeps serving.
 */
@RealKafka(schemaRegistry = true)
@Timeout(400)
class GatewayScaleOutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private record Gateway(Process process, int port, int opsPort) {
    String url() {
      return "http://localhost:" + port;
    }
  }

  private static Gateway gateway(ComponentProcesses processes, PipelineStack stack, Path dir, int partition) throws Exception {
    int port = ComponentProcesses.freePort();
    int opsPort = ComponentProcesses.freePort();
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", stack.bootstrapServers());
    config.put("schema.registry.url", stack.schemaRegistryUrl());
    config.put("topic.prefix", stack.topics().prefix());
    config.put("gateway.port", Integer.toString(port));
    config.put("gateway.ops.port", Integer.toString(opsPort));
    config.put("gateway.reply.partition", Integer.toString(partition));
    Process process = processes.start("gateway", processes.configFile("gateway-" + partition, config),
        dir.resolve("gateway-" + partition + ".log"));
    ComponentProcesses.awaitReady(process, opsPort, Duration.ofMinutes(1), () -> { });
    return new Gateway(process, port, opsPort);
  }

  private static CompletableFuture<HttpResponse<String>> embed(Gateway gateway, String... texts) {
    String body = "{\"model\":\"minilm\",\"input\":" + JSON.valueToTree(List.of(texts)) + "}";
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/embeddings")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double metric(Gateway gateway, String name) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.opsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).mapToDouble(
        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  /** The keys (request ids) of the records on one topic, per partition or per reply-partition header. */
  private static Map<Integer, List<String>> keysOf(PipelineStack stack, String topic, boolean byReplyHeader) {
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<Integer, List<String>> keys = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          int group = byReplyHeader ? Replies.requestedPartition(record.headers()) : record.partition();
          keys.computeIfAbsent(group, g -> new ArrayList<>()).add(new String(record.key(), StandardCharsets.UTF_8));
        }
      }
    }
    return keys;
  }

  @Test
  void eachInstanceAnswersOnlyItsCallersAndAKilledOnesRequestsStillCompleteOnKafka(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "scale", TopicSettings.singleBroker(), 1),
            new PrintWriter(new StringWriter()));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl());
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      Gateway a = gateway(processes, stack, dir, 1);
      Gateway b = gateway(processes, stack, dir, 2);

      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        calls.add(embed(a, Traffic.sentence(i), "a-" + i));
        calls.add(embed(b, Traffic.sentence(100 + i), "b-" + i));
      }
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        HttpResponse<String> response = call.get();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("data").size()).isEqualTo(2);
      }
      assertThat(metric(a, "sluice_gateway_replies_unclaimed")).as("replies a read for calls it did not make").isZero();
      assertThat(metric(b, "sluice_gateway_replies_unclaimed")).isZero();
      Map<Integer, List<String>> replies = keysOf(stack, stack.topics().replies(), false);
      assertThat(replies.get(1)).hasSize(60).doesNotHaveDuplicates();
      assertThat(replies.get(2)).hasSize(60).doesNotHaveDuplicates();
      assertThat(replies.getOrDefault(0, List.of())).as("the stack's own gateway got no call").isEmpty();

      List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        held.add(embed(a, "held by a, call " + i + ": " + Traffic.sentence(200 + i)));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (held.stream().filter(CompletableFuture::isDone).count() < 10 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      ComponentProcesses.kill(a.process());
      long answeredBeforeKill = held.stream().filter(c -> c.isDone() && !c.isCompletedExceptionally()).count();

      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response = embed(b, "after the kill " + i).get();
        assertThat(response.statusCode()).as("b serves after a died: %s", response.body()).isEqualTo(200);
      }
      Set<String> sentByA = new HashSet<>(keysOf(stack, stack.topics().requests(), true).get(1));
      assertThat(sentByA.size()).as("a sent its 60 requests, then some of the 150 before it died")
          .isGreaterThanOrEqualTo(60 + (int) answeredBeforeKill);
      traffic.awaitOutcomes(sentByA, Duration.ofMinutes(2));
      traffic.assertExactlyOnce(sentByA);
      assertThat(metric(b, "sluice_gateway_replies_unclaimed")).isZero();
    }
  }
}
