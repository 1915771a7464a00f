package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kafkajs producer that keys records by request id, as most producers do, retries requests
 * under new request ids (so new record keys, most landing on another partition of three) with
 * their originals' idempotency keys once the originals' results are seen: every retry is dropped,
 * whatever partition it lands on. Then it repeats the originals' texts without an idempotency key
 * {@link #CACHE_WINDOW} after each original's result is seen: each repeat is answered from the
 * result cache, also when its record key routes it to the other serving version (90/10 split).
 */
@RealKafka(schemaRegistry = true)
@Timeout(400)
class ThirdPartyRetryTest {
  private static final int ORIGINALS = 12;
  private static final int RETRIES = 8;
  /**
   * How long after its original's result is seen a repeat is sent. The cache fills asynchronously
   * (the ingress's cache feed, then its global store): on an idle machine every measured repeat
   * sent at once was a hit, under a loaded test run one sent at once missed; 2 s leaves room.
   */
  private static final Duration CACHE_WINDOW = Duration.ofSeconds(2);

  @Test
  void retriesKeyedByTheirOwnRequestIdAreDroppedOnEveryPartition(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "retries", TopicSettings.singleBroker(), 1),
        new PrintWriter(new StringWriter()))) {
      JsonNode report = NodeClients.run(Duration.ofMinutes(4), "produce-retries.mjs", kafka.bootstrapServers(), stack.schemaRegistryUrl(),
          stack.topics().prefix(), "minilm", Integer.toString(ORIGINALS), Integer.toString(RETRIES),
          Long.toString(CACHE_WINDOW.toMillis()));

      assertThat(report.get("originalsSeen").asBoolean()).as("every original answered: %s", report.get("seen")).isTrue();
      JsonNode seen = report.get("seen");
      assertThat(report.get("repeatsSeen").asBoolean()).as("every repeat answered: %s", seen).isTrue();
      report.get("repeats").fieldNames().forEachRemaining(id -> {
        assertThat(seen.get(id).get("status").asText()).as(id).isEqualTo("OK");
        assertThat(seen.get(id).get("cached").asBoolean()).as("%s, sent %s after its original's result was seen, answered from the cache",
            id, CACHE_WINDOW).isTrue();
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (meter(stack, "sluice_ingress_dedup_drops_total") < RETRIES && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(meter(stack, "sluice_ingress_dedup_drops_total")).isEqualTo(RETRIES);
      List<String> retriesAnswered = new ArrayList<>();
      report.get("retries").forEach(id -> {
        if (seen.has(id.asText())) {
          retriesAnswered.add(id.asText());
        }
      });
      assertThat(retriesAnswered).as("retries that were processed again").isEmpty();
      assertThat(meter(stack, "sluice_ingress_rerouted_total")).as("requests passed to the task that owns their key").isPositive();
    }
  }

  /** A counter's value from the ingress's Prometheus endpoint. */
  private static double meter(PipelineStack stack, String name) throws Exception {
    String body = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + stack.host() + ":" + stack.ingressPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).mapToDouble(
        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
