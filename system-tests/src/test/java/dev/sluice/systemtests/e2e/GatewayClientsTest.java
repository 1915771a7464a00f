package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.sluice.avro.Embedding;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.data.TailCommand;
import dev.sluice.avro.InferenceResult;
import dev.sluice.gateway.ApiKeys;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.gateway.GatewayService;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.stack.StackPorts;
import dev.sluice.stack.StackSettings;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP gateway as its users meet it: the official OpenAI Java SDK against a real stack with
 * the bundled model gets the vectors a Kafka producer gets for the same texts, in input order, as
 * floats and as base64, with the tokenizer's counts as usage; an Open Inference Protocol call
 * (plain HTTP, as KServe's and Triton's clients send it) gets them too; and every error the
 * gateway promises comes for real, in OpenAI's shape, as the SDK's typed exceptions.
 */
@RealKafka(schemaRegistry = true)
@Timeout(400)
class GatewayClientsTest {
  private static final String ALICE_KEY = "sk-alice-" + "0123456789";
  private static final String BOB_KEY = "sk-bob-" + "9876543210";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static OpenAIClient client(String baseUrl, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1").apiKey(key).maxRetries(0).timeout(Duration.ofSeconds(60)).build();
  }

  private static OpenAIServiceException failure(Runnable call) {
    return catchThrowableOfType(OpenAIServiceException.class, call::run);
  }

  @Test
  void theOpenAiSdkAndAnOpenInferenceCallGetWhatAKafkaProducerGetsAndEveryErrorComesInOpenAisShape(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    Map<String, Object> clientProperties = new HashMap<>();
    clientProperties.put("ingress.rate.limit.tenant.slow.per.second", "1");
    clientProperties.put("ingress.rate.limit.tenant.slow.burst", "1");
    StackSettings settings = new StackSettings(dir, kafka.bootstrapServers(), kafka.schemaRegistryUrl(), clientProperties, "localhost",
        StackPorts.free(), "gw", TopicSettings.singleBroker(), 1);
    try (PipelineStack stack = PipelineStack.start(settings, new PrintWriter(new StringWriter()));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      List<String> texts = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        texts.add(Traffic.sentence(i));
        ids.add("kafka-" + i);
        traffic.send(Traffic.text("kafka-" + i, "minilm", texts.get(i)).setModelVersion("v1").build());
      }
      traffic.awaitOutcomes(ids, Duration.ofMinutes(2));

      OpenAIClient anonymous = client(stack.gatewayUrl(), "no-key-configured");
      CreateEmbeddingResponse floats = anonymous.embeddings().create(EmbeddingCreateParams.builder().model("minilm/v1")
          .inputOfArrayOfStrings(texts).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
      assertThat(floats.data()).hasSize(texts.size());
      long tokens = 0;
      for (int i = 0; i < texts.size(); i++) {
        InferenceResult viaKafka = traffic.result(ids.get(i));
        assertThat(floats.data().get(i).index()).isEqualTo(i);
        assertThat(Cosine.of(floats.data().get(i).embedding(), ((Embedding) viaKafka.getOutput()).getVector()))
            .as("input %d against the same text through Kafka", i).isGreaterThan(0.9999);
        tokens += viaKafka.getInputTokens();
      }
      assertThat(floats.usage().promptTokens()).isEqualTo(tokens).isGreaterThan(texts.size());
      assertThat(floats.usage().totalTokens()).isEqualTo(tokens);

      CreateEmbeddingResponse base64 = anonymous.embeddings().create(EmbeddingCreateParams.builder().model("minilm/v1")
          .inputOfArrayOfStrings(texts).encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
      for (int i = 0; i < texts.size(); i++) {
        assertThat(base64.data().get(i).embedding()).as("base64 input %d decodes to the float answer", i)
            .isEqualTo(floats.data().get(i).embedding());
      }
      assertThat(anonymous.models().list().data()).extracting(m -> m.id()).contains("minilm", "minilm/v1", "minilm/v2");

      ArrayNode data = JSON.createArrayNode();
      texts.forEach(data::add);
      ObjectNode infer = JSON.createObjectNode();
      infer.put("id", "oip-1");
      ObjectNode input = infer.putArray("inputs").addObject();
      input.put("name", "text").put("datatype", "BYTES").putArray("shape").add(texts.size());
      input.set("data", data);
      HttpResponse<String> v2 = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v2/models/minilm/versions/v1/infer"))
          .POST(HttpRequest.BodyPublishers.ofString(infer.toString())).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
      JsonNode output = JSON.readTree(v2.body()).get("outputs").get(0);
      int dims = output.get("shape").get(1).asInt();
      assertThat(output.get("shape").get(0).asInt()).isEqualTo(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        List<Float> row = new ArrayList<>();
        for (int d = 0; d < dims; d++) {
          row.add(output.get("data").get(i * dims + d).floatValue());
        }
        assertThat(row).as("v2 row %d is the float answer", i).isEqualTo(floats.data().get(i).embedding());
      }
      HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v2/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);

      OpenAIServiceException unknownModel = failure(() -> anonymous.embeddings().create(
          EmbeddingCreateParams.builder().model("nosuch").input("x").build()));
      assertThat(unknownModel.statusCode()).isEqualTo(404);
      assertThat(unknownModel.code()).contains("model_not_found");
      OpenAIServiceException deadLettered = failure(() -> anonymous.embeddings().create(
          EmbeddingCreateParams.builder().model("minilm").inputOfArrayOfStrings(List.of("fine", "\u0000\u0001")).build()));
      assertThat(deadLettered.statusCode()).isEqualTo(422);
      assertThat(deadLettered.code()).contains("INVALID_TEXT");
      assertThat(deadLettered.param()).contains("input[1]");
      OpenAIServiceException tooLate = failure(() -> anonymous.embeddings().create(
          EmbeddingCreateParams.builder().model("minilm").input("no time for this").putAdditionalHeader("X-Sluice-Timeout-Ms", "1").build()));
      assertThat(tooLate.statusCode()).isEqualTo(504);

      Map<String, String> keyed = new HashMap<>();
      keyed.put("bootstrap.servers", stack.bootstrapServers());
      keyed.put("schema.registry.url", stack.schemaRegistryUrl());
      keyed.put("topic.prefix", "gw");
      keyed.put(GatewayConfig.PORT, "0");
      keyed.put(GatewayConfig.OPS_PORT, "0");
      keyed.put(GatewayConfig.REPLY_PARTITION, "1");
      keyed.put(GatewayConfig.API_KEYS, "alice:acme:" + ApiKeys.hash(ALICE_KEY) + ",bob:slow:" + ApiKeys.hash(BOB_KEY));
      try (GatewayService gateway = GatewayService.start(GatewayConfig.parse(keyed), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
        String url = "http://localhost:" + gateway.port();
        OpenAIServiceException wrongKey = failure(() -> client(url, "sk-wrong").embeddings().create(
            EmbeddingCreateParams.builder().model("minilm").input("x").build()));
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(client(url, ALICE_KEY).embeddings().create(EmbeddingCreateParams.builder().model("minilm").input("alice's text").build())
            .data()).hasSize(1);
        // Tenant "slow" may send 1 request/s with a burst of 1, enforced per request partition (3):
        // of 4 calls in a row at least one meets a partition whose bucket is empty.
        OpenAIClient bob = client(url, BOB_KEY);
        OpenAIServiceException limited = null;
        for (int i = 0; i < 4 && limited == null; i++) {
          int call = i;
          limited = failure(() -> bob.embeddings().create(EmbeddingCreateParams.builder().model("minilm").input("bob's call " + call).build()));
        }
        assertThat(limited).as("a call over tenant slow's rate").isNotNull();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.code()).contains("RATE_LIMITED");
        assertThat(limited.headers().values("Retry-After")).singleElement().satisfies(v -> assertThat(Long.parseLong(v)).isPositive());
      }

      // Every call above is in the audit trail, as sluice tail audit shows it: who, what, the status, why refused.
      CliRun tail = CliRun.of(new TailCommand(), "audit", "--json", "--from-beginning", "--timeout-ms", "5000", "--prefix", "gw",
          "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl());
      assertThat(tail.exit()).as(tail.err()).isZero();
      List<JsonNode> audit = new ArrayList<>();
      for (String line : tail.outLines()) {
        audit.add(JSON.readTree(line));
      }
      assertThat(audit).extracting(e -> e.get("status").asInt()).contains(200, 401, 404, 422, 429, 504);
      assertThat(audit).filteredOn(e -> e.get("path").asText().equals("/v1/embeddings") && e.get("status").asInt() == 200)
          .allSatisfy(e -> assertThat(e.get("request_ids").size()).isPositive());
      assertThat(audit).filteredOn(e -> e.get("status").asInt() == 401).singleElement()
          .satisfies(e -> assertThat(e.get("reason").asText()).isEqualTo("invalid_api_key"));
      assertThat(audit).filteredOn(e -> e.get("status").asInt() == 429)
          .allSatisfy(e -> assertThat(e.get("key_id").asText()).isEqualTo("bob"))
          .allSatisfy(e -> assertThat(e.get("tenant").asText()).isEqualTo("slow"));
      assertThat(audit).extracting(JsonNode::toString).noneMatch(line -> line.contains(ALICE_KEY) || line.contains(BOB_KEY)
          || line.contains(texts.get(0)));
    }
  }
}
