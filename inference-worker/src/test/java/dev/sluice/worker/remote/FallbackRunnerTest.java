package dev.sluice.worker.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.EndpointProtocol;
import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.DeadlineExceededException;
import dev.sluice.worker.model.EndpointsUnavailableException;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import dev.sluice.testkit.SelfSignedKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote engines against stand-in servers (unit level; the system tests run them against the
 * Sluice gateway): the protocols' shapes, fallback order, retries, the circuit breaker, deadlines,
 * keys and headers, and the endpoint metrics.
 */
class FallbackRunnerTest {
  private static final List<Object> TEXTS = List.of(new TextInput("one"), new TextInput("three"), new TextInput("seven"));

  @TempDir
  static Path scratch;
  private static DjlModelLoader local;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ShiftedClock clock = new ShiftedClock();
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void localLoader() {
    local = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  @Test
  void openAiEndpointEmbedsTheBatchInOneCallInInputOrderAndReportsItsUsage() throws Exception {
    StandInServer server = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("primary", EndpointProtocol.OPENAI, server.url() + "/v1").build()));

    BatchResult result = runner.run(TEXTS, null);

    assertThat(server.received()).singleElement().satisfies(call -> {
      assertThat(call.path()).isEqualTo("/v1/embeddings");
      assertThat(call.body().get("model").asText()).isEqualTo("minilm");
      assertThat(call.body().get("input")).extracting(JsonNode::asText).containsExactly("one", "three", "seven");
    });
    assertThat(result.outputs()).extracting(o -> ((Embedding) o).getVector().get(0)).containsExactly(3f, 5f, 5f);
    assertThat(result.endpoint()).isEqualTo("primary");
    assertThat(result.realTokens()).as("usage.prompt_tokens").isEqualTo(13);
    assertThat(result.inputTokens()).as("no tokenizer without an artifact").isEmpty();
    assertThat(calls("primary", "ok")).isEqualTo(1);
  }

  @Test
  void aFailingPrimaryIsRetriedThenTheNextEndpointAnswers() throws Exception {
    StandInServer primary = server(body -> new StandInServer.Reply(503, "{\"error\":\"overloaded\"}", 0));
    StandInServer secondary = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("primary", EndpointProtocol.OPENAI, primary.url()).setRetries(1).build(),
        endpoint("secondary", EndpointProtocol.OPENAI, secondary.url()).build()));

    BatchResult result = runner.run(TEXTS, null);

    assertThat(primary.received()).as("the call and its one retry").hasSize(2);
    assertThat(result.endpoint()).isEqualTo("secondary");
    assertThat(result.outputs()).hasSize(3);
    assertThat(calls("primary", "failed")).isEqualTo(2);
    assertThat(calls("secondary", "ok")).isEqualTo(1);
  }

  @Test
  void aRefusedInputIsTheInputsFaultAndFallsBackNowhere() throws Exception {
    StandInServer primary = server(body -> new StandInServer.Reply(400, "{\"error\":{\"message\":\"input is too long\"}}", 0));
    StandInServer secondary = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("primary", EndpointProtocol.OPENAI, primary.url()).build(),
        endpoint("secondary", EndpointProtocol.OPENAI, secondary.url()).build()));

    assertThatThrownBy(() -> runner.run(TEXTS, null)).isExactlyInstanceOf(ModelRunException.class)
        .hasMessageContaining("primary answered 400: input is too long");
    assertThat(secondary.received()).isEmpty();
    assertThat(gauge("primary")).as("a server that answers is up: breaker closed").isZero();
  }

  @Test
  void theBreakerOpensAfterConsecutiveFailuresSkipsTheEndpointAndClosesAfterAGoodProbe() throws Exception {
    StandInServer primary = server(body -> new StandInServer.Reply(500, "{}", 0));
    StandInServer secondary = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("primary", EndpointProtocol.OPENAI, primary.url()).setRetries(0).setBreakerFailures(2).setBreakerOpenMs(30_000).build(),
        endpoint("secondary", EndpointProtocol.OPENAI, secondary.url()).build()));

    runner.run(TEXTS, null);
    assertThat(gauge("primary")).as("one failure: still closed").isZero();
    runner.run(TEXTS, null);
    assertThat(gauge("primary")).as("two in a row: open").isEqualTo(2);
    runner.run(TEXTS, null);
    assertThat(primary.received()).as("an open breaker sends nothing").hasSize(2);
    assertThat(calls("primary", "breaker_open")).isEqualTo(1);

    primary.answer(FallbackRunnerTest::embeddingsReversed);
    clock.shift(Duration.ofSeconds(31));
    assertThat(gauge("primary")).as("half-open after breaker_open_ms").isEqualTo(1);
    BatchResult probed = runner.run(TEXTS, null);
    assertThat(probed.endpoint()).isEqualTo("primary");
    assertThat(gauge("primary")).as("a good probe closes it").isZero();
  }

  @Test
  void aFailingProbeOpensTheBreakerAgain() throws Exception {
    StandInServer primary = server(body -> new StandInServer.Reply(500, "{}", 0));
    StandInServer secondary = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("primary", EndpointProtocol.OPENAI, primary.url()).setRetries(0).setBreakerFailures(1).setBreakerOpenMs(30_000).build(),
        endpoint("secondary", EndpointProtocol.OPENAI, secondary.url()).build()));

    runner.run(TEXTS, null);
    clock.shift(Duration.ofSeconds(31));
    assertThat(gauge("primary")).isEqualTo(1);
    runner.run(TEXTS, null);
    assertThat(primary.received()).as("the first call and the probe").hasSize(2);
    assertThat(gauge("primary")).as("a failed probe: open again").isEqualTo(2);
    runner.run(TEXTS, null);
    assertThat(primary.received()).hasSize(2);
    assertThat(calls("primary", "breaker_open")).isEqualTo(1);
  }

  @Test
  void theLocalFallbackDoesNotRunPastTheDeadline() throws Exception {
    StandInServer primary = server(body -> {
      clock.shift(Duration.ofMinutes(1)); // the failing call took the batch past its deadline
      return new StandInServer.Reply(503, "{}", 0);
    });
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "classpath:models/all-minilm-l6-v2",
        endpoint("primary", EndpointProtocol.OPENAI, primary.url()).setRetries(0).build(),
        ModelEndpoint.newBuilder().setName("cpu").setProtocol(EndpointProtocol.LOCAL).build()));

    Instant deadline = clock.instant().plusSeconds(5);
    assertThatThrownBy(() -> runner.run(TEXTS, deadline)).isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("passed before cpu could run the batch");
  }

  @Test
  void maxConcurrencyBoundsTheCallsInFlight() throws Exception {
    StandInServer server = server(body -> new StandInServer.Reply(200, embeddings(body, true), 200));
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("primary", EndpointProtocol.OPENAI, server.url())
        .setMaxBatchSize(2).setMaxConcurrency(2).build()));
    List<Object> eight = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      eight.add(new TextInput("y".repeat(i + 1)));
    }

    long start = System.nanoTime();
    BatchResult result = runner.run(eight, null);

    assertThat(server.received()).hasSize(4);
    assertThat(server.mostAtOnce()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("two rounds of two 200 ms calls").isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(result.outputs()).hasSize(8);
  }

  @Test
  void headersTheClientRefusesOrThatCarryCredentialsAreRefusedAtLoad() throws Exception {
    StandInServer server = server(FallbackRunnerTest::embeddingsReversed);
    assertThatThrownBy(() -> load(deployment(Task.TEXT_EMBEDDING, "", endpoint("x", EndpointProtocol.OPENAI, server.url())
        .setHeaders(Map.of("Host", "elsewhere")).build()))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("a header the HTTP client refuses");
    assertThatThrownBy(() -> load(deployment(Task.TEXT_EMBEDDING, "", endpoint("x", EndpointProtocol.OPENAI, server.url())
        .setHeaders(Map.of("X-Api-Key", "leaked")).build()))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("carries a credential");
    assertThat(server.received()).isEmpty();
  }

  @Test
  void aCallPastItsTimeoutFallsBack() throws Exception {
    StandInServer slow = server(body -> new StandInServer.Reply(200, "{}", 3_000));
    StandInServer fast = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("slow", EndpointProtocol.OPENAI, slow.url()).setTimeoutMs(200).setRetries(0).build(),
        endpoint("fast", EndpointProtocol.OPENAI, fast.url()).build()));

    long start = System.nanoTime();
    BatchResult result = runner.run(TEXTS, null);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    assertThat(result.endpoint()).isEqualTo("fast");
    assertThat(calls("slow", "timeout")).isEqualTo(1);
  }

  @Test
  void aDeadlineShorterThanTheCallEndsItWithoutTryingTheFallback() throws Exception {
    StandInServer slow = server(body -> new StandInServer.Reply(200, "{}", 3_000));
    StandInServer fast = server(FallbackRunnerTest::embeddingsReversed);
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("slow", EndpointProtocol.OPENAI, slow.url()).build(),
        endpoint("fast", EndpointProtocol.OPENAI, fast.url()).build()));

    Instant deadline = clock.instant().plusMillis(300);
    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(TEXTS, deadline)).isInstanceOfSatisfying(DeadlineExceededException.class,
        e -> assertThat(e.deadline()).isEqualTo(deadline));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_000));
    assertThat(fast.received()).isEmpty();
    assertThat(gauge("slow")).as("a deadline is not the endpoint's failure").isZero();
  }

  @Test
  void noEndpointAnsweringSaysWhatEachOneDid() throws Exception {
    StandInServer broken = server(body -> new StandInServer.Reply(502, "{\"error\":\"bad gateway\"}", 0));
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "",
        endpoint("broken", EndpointProtocol.OPENAI, broken.url()).setRetries(0).build(),
        endpoint("gone", EndpointProtocol.OPENAI, "http://127.0.0.1:1").setRetries(0).build()));

    assertThatThrownBy(() -> runner.run(TEXTS, null)).isInstanceOf(EndpointsUnavailableException.class)
        .hasMessageContaining("broken answered 502: bad gateway").hasMessageContaining("gone: cannot connect to http://127.0.0.1:1");
  }

  @Test
  void aLocalEndpointRunsTheArtifactWhenTheRemoteOnesFail() throws Exception {
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "classpath:models/all-minilm-l6-v2",
        endpoint("gone", EndpointProtocol.OPENAI, "http://127.0.0.1:1").setRetries(0).build(),
        ModelEndpoint.newBuilder().setName("cpu").setProtocol(EndpointProtocol.LOCAL).build()));

    BatchResult result = runner.run(TEXTS, null);

    assertThat(result.endpoint()).isEqualTo("cpu");
    assertThat(((Embedding) result.outputs().get(0)).getVector()).hasSize(384);
  }

  @Test
  void withoutUsageTheArtifactsTokenizerCountsEachText() throws Exception {
    StandInServer server = server(body -> StandInServer.Reply.ok(embeddings(body, false)));
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "classpath:models/all-minilm-l6-v2",
        endpoint("primary", EndpointProtocol.OPENAI, server.url()).build()));

    BatchResult result = runner.run(List.of(new TextInput("hello world"), new TextInput("a")), null);

    assertThat(result.inputTokens()).as("[CLS] hello world [SEP]; [CLS] a [SEP]").containsExactly(4, 3);
    assertThat(result.realTokens()).isEqualTo(7);
  }

  @Test
  void keysAndHeadersGoWithEveryCallAndAKeyInTheRecordIsRefused() throws Exception {
    StandInServer server = server(FallbackRunnerTest::embeddingsReversed);
    Path keyFile = Files.writeString(scratch.resolve("key"), "file-key\n");
    ModelRunner fromEnv = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("env", EndpointProtocol.OPENAI, server.url())
        .setApiKeyEnv("REMOTE_KEY").setHeaders(Map.of("X-Team", "search")).build()));
    ModelRunner fromFile = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("file", EndpointProtocol.OPENAI, server.url())
        .setApiKeyFile(keyFile.toString()).build()));

    fromEnv.run(TEXTS, null);
    fromFile.run(TEXTS, null);

    assertThat(server.received()).extracting(StandInServer.Received::authorization).containsExactly("Bearer env-key", "Bearer file-key");
    assertThat(server.received().get(0).team()).isEqualTo("search");
    assertThatThrownBy(() -> load(deployment(Task.TEXT_EMBEDDING, "", endpoint("x", EndpointProtocol.OPENAI, server.url())
        .setApiKeyEnv("UNSET_KEY").build()))).isInstanceOf(ModelLoadException.class).hasMessageContaining("UNSET_KEY, which is not set");
    assertThatThrownBy(() -> load(deployment(Task.TEXT_EMBEDDING, "", endpoint("x", EndpointProtocol.OPENAI, server.url())
        .setHeaders(Map.of("Authorization", "Bearer leaked")).build()))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("carries a credential").hasMessageContaining("api-key-env");
  }

  @Test
  void anHttpsEndpointIsTrustedThroughItsTrustFileAndRefusedWithoutIt() throws Exception {
    SelfSignedKeys keys = SelfSignedKeys.create(scratch, "endpoint");
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys.load(), keys.password().toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    StandInServer server = new StandInServer(FallbackRunnerTest::embeddingsReversed, tls);
    open.add(server);
    Path trust = keys.writeCertificatePem(scratch.resolve("endpoint-ca.pem"));
    ModelRunner trusting = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("tls", EndpointProtocol.OPENAI, server.url())
        .setTrustFile(trust.toString()).build()));
    ModelRunner defaultTrust = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("tls", EndpointProtocol.OPENAI, server.url())
        .setRetries(0).build()));

    assertThat(server.url()).startsWith("https://");
    assertThat(trusting.run(TEXTS, null).outputs()).hasSize(3);
    assertThatThrownBy(() -> defaultTrust.run(TEXTS, null)).isInstanceOf(EndpointsUnavailableException.class)
        .hasMessageContaining("tls: javax.net.ssl.SSLHandshakeException");
    assertThatThrownBy(() -> load(deployment(Task.TEXT_EMBEDDING, "", endpoint("x", EndpointProtocol.OPENAI, server.url())
        .setTrustFile(scratch.resolve("missing.pem").toString()).build()))).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Cannot use the trust file");
  }

  @Test
  void oipTextGoesAsOneBytesTensorAndAClassifiersLabelsPairWithItsScores() throws Exception {
    StandInServer server = server(body -> StandInServer.Reply.ok("""
        {"model_name":"sentiment","outputs":[
          {"name":"labels","datatype":"BYTES","shape":[2,2],"data":["neg","pos","pos","neg"]},
          {"name":"scores","datatype":"FP32","shape":[2,2],"data":[0.9,0.1,0.8,0.2]}]}"""));
    ModelRunner runner = load(deployment(Task.TEXT_CLASSIFICATION, "", endpoint("triton", EndpointProtocol.OIP_V2, server.url())
        .setRemoteModel("sentiment").build()));

    BatchResult result = runner.run(List.of(new TextInput("bad"), new TextInput("good")), null);

    JsonNode input = server.received().get(0).body().get("inputs").get(0);
    assertThat(server.received().get(0).path()).isEqualTo("/v2/models/sentiment/infer");
    assertThat(input.get("datatype").asText()).isEqualTo("BYTES");
    assertThat(input.get("shape")).extracting(JsonNode::asInt).containsExactly(2);
    assertThat(input.get("data")).extracting(JsonNode::asText).containsExactly("bad", "good");
    assertThat(((ClassScores) result.outputs().get(0)).getScores().get(0).getLabel()).isEqualTo("neg");
    assertThat(((ClassScores) result.outputs().get(1)).getScores().get(0).getLabel()).isEqualTo("pos");
  }

  @Test
  void oipTensorsWithABatchDimensionAreConcatenatedAndCutBackPerInput() throws Exception {
    StandInServer server = server(body -> {
      JsonNode input = body.get("inputs").get(0);
      StringBuilder doubled = new StringBuilder();
      input.get("data").forEach(v -> doubled.append(doubled.length() == 0 ? "" : ",").append(v.floatValue() * 2));
      return StandInServer.Reply.ok("{\"outputs\":[{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":" + input.get("shape")
          + ",\"data\":[" + doubled + "]}]}");
    });
    ModelDeployment deployment = deployment(Task.TENSOR, "", endpoint("kserve", EndpointProtocol.OIP_V2, server.url()).build());
    deployment.setLimits(ModelLimits.newBuilder().setTensorShape(List.of(-1, 2)).build());
    ModelRunner runner = load(deployment);

    BatchResult result = runner.run(List.of(new TensorInput(List.of(1, 2), List.of(1f, 2f)), new TensorInput(List.of(2, 2), List.of(3f, 4f, 5f, 6f))),
        null);

    assertThat(server.received()).singleElement().satisfies(call ->
        assertThat(call.body().get("inputs").get(0).get("shape")).extracting(JsonNode::asInt).containsExactly(3, 2));
    assertThat((Tensor) result.outputs().get(0)).isEqualTo(new Tensor(List.of(1, 2), List.of(2f, 4f)));
    assertThat((Tensor) result.outputs().get(1)).isEqualTo(new Tensor(List.of(2, 2), List.of(6f, 8f, 10f, 12f)));
  }

  @Test
  void aLargeMicroBatchIsSplitIntoConcurrentCallsOfAtMostMaxBatchSize() throws Exception {
    StandInServer server = server(body -> new StandInServer.Reply(200, embeddings(body, true), 200));
    ModelRunner runner = load(deployment(Task.TEXT_EMBEDDING, "", endpoint("primary", EndpointProtocol.OPENAI, server.url())
        .setMaxBatchSize(2).setMaxConcurrency(4).build()));
    List<Object> seven = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      seven.add(new TextInput("x".repeat(i + 1)));
    }

    long start = System.nanoTime();
    BatchResult result = runner.run(seven, null);

    assertThat(server.received()).hasSize(4).allSatisfy(call -> assertThat(call.body().get("input").size()).isLessThanOrEqualTo(2));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("four 200 ms calls at once").isLessThan(Duration.ofMillis(700));
    assertThat(result.outputs()).extracting(o -> ((Embedding) o).getVector().get(0)).containsExactly(1f, 2f, 3f, 4f, 5f, 6f, 7f);
    assertThat(result.realTokens()).isEqualTo(28);
  }

  private ModelRunner load(ModelDeployment deployment) throws ModelLoadException {
    ModelRunner runner = new EndpointModelLoader(local, meters, Map.of("REMOTE_KEY", "env-key")::get, clock).load(deployment);
    open.add(runner);
    return runner;
  }

  private StandInServer server(java.util.function.Function<JsonNode, StandInServer.Reply> replies) throws Exception {
    StandInServer server = new StandInServer(replies);
    open.add(server);
    return server;
  }

  private double calls(String endpoint, String outcome) {
    return meters.get(EndpointMetrics.CALLS).tag("endpoint", endpoint).tag("outcome", outcome).counter().count();
  }

  private double gauge(String endpoint) {
    return meters.get(EndpointMetrics.BREAKER).tag("endpoint", endpoint).gauge().value();
  }

  private static ModelEndpoint.Builder endpoint(String name, EndpointProtocol protocol, String url) {
    return ModelEndpoint.newBuilder().setName(name).setProtocol(protocol).setUrl(url);
  }

  private static ModelDeployment deployment(Task task, String artifact, ModelEndpoint... endpoints) {
    return ModelDeployment.newBuilder().setModel("minilm").setVersion("remote").setArtifactUri(artifact).setEngine(Engine.ONNX_RUNTIME)
        .setTask(task).setTrafficWeight(100).setDeployedAt(Instant.parse("2026-12-08T00:00:00Z")).setEndpoints(List.of(endpoints)).build();
  }

  /** OpenAI embeddings of the texts, [length, 1], listed in reverse order with their index, with usage. */
  private static StandInServer.Reply embeddingsReversed(JsonNode body) {
    return StandInServer.Reply.ok(embeddings(body, true));
  }

  private static String embeddings(JsonNode body, boolean usage) {
    List<String> items = new ArrayList<>();
    int tokens = 0;
    for (int i = body.get("input").size() - 1; i >= 0; i--) {
      String text = body.get("input").get(i).asText();
      tokens += text.length();
      items.add("{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":[" + text.length() + ",1.0]}");
    }
    return "{\"object\":\"list\",\"data\":[" + String.join(",", items) + "],\"model\":\"m\""
        + (usage ? ",\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens + "}" : "") + "}";
  }

  /** The system clock, moved forward by hand. */
  private static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    void shift(Duration by) {
      shift = shift.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(shift);
    }
  }
}
