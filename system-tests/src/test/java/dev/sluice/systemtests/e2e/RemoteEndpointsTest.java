package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.Sluice;
import dev.sluice.cli.data.TailCommand;
import dev.sluice.gateway.ApiKeys;
import dev.sluice.gateway.GatewayConfig;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A Sluice worker in front of real remote servers, the Sluice gateway's own {@code /v1/embeddings}
 * (OpenAI) and {@code /v2/models/{m}/versions/{v}/infer} (Open Inference Protocol) serving the
 * bundled model: the remote versions of model {@code relay} give the vectors the local model gives;
 * a deadline shorter than the remote call is answered EXPIRED, never late; and with the primary
 * endpoint (a second gateway, in its own process, behind an API key the worker reads from its
 * environment) killed mid-stream, results keep coming from the fallback, every request is answered
 * exactly once, the breaker opens, and closes once the primary is back.
 */
@RealKafka(schemaRegistry = true)
@Timeout(600)
class RemoteEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "relay";
  private static final String MODEL = "relay";
  private static final String KEY = "sk-relay-e2e-0123456789";
  private static final String BUNDLED = "classpath:models/all-minilm-l6-v2";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private int sent;

  @Test
  void aWorkerInFrontOfTheGatewayAnswersAsTheLocalModelExpiresPastDeadlinesAndFallsBackWhenThePrimaryDies(KafkaCluster kafka,
      @TempDir Path dir) throws Exception {
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, PREFIX, TopicSettings.singleBroker(), 1),
            new PrintWriter(new StringWriter()));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl());
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl(), "--prefix", PREFIX};
      cli(cluster, "topics", "create", "--model", MODEL);
      int primaryPort = ComponentProcesses.freePort();
      ChildComponent primary = ChildComponent.gateway(processes, stack, dir, "gateway-primary", primaryPort, 1,
          Map.of(GatewayConfig.API_KEYS, "relay-worker:e2e:" + ApiKeys.hash(KEY)));
      primary.start();
      primary.awaitReady(Duration.ofMinutes(2), () -> { });
      String stable = stack.gatewayUrl();
      String primaryUrl = "http://127.0.0.1:" + primaryPort;

      cli(cluster, "models", "deploy", "--model", MODEL, "--version", "openai", "--artifact", BUNDLED,
          "--endpoint", "name=gateway-openai,protocol=openai,url=" + stable + "/v1,remote-model=minilm/v1");
      cli(cluster, "models", "deploy", "--model", MODEL, "--version", "oip", "--weight", "0", "--artifact", BUNDLED,
          "--endpoint", "name=gateway-oip,protocol=oip-v2,url=" + stable + ",remote-model=minilm,remote-version=v1");
      cli(cluster, "models", "deploy", "--model", MODEL, "--version", "fallback", "--weight", "0", "--artifact", BUNDLED,
          "--endpoint", "name=primary,protocol=openai,url=" + primaryUrl + ",remote-model=minilm/v1,api-key-env=RELAY_KEY,retries=0,"
              + "breaker-failures=2,breaker-open-ms=2000",
          "--endpoint", "name=secondary,protocol=openai,url=" + stable + ",remote-model=minilm/v1");
      cli(cluster, "models", "deploy", "--model", MODEL, "--version", "stalled", "--weight", "0", "--artifact", BUNDLED,
          "--endpoint", "name=stalled,protocol=openai,url=" + primaryUrl + ",remote-model=minilm/v1,api-key-env=RELAY_KEY,timeout-ms=30000");
      ChildComponent worker = ChildComponent.worker(processes, stack, dir, "relay-worker", MODEL, Map.of("RELAY_KEY", KEY));
      worker.start();
      worker.awaitReady(Duration.ofMinutes(2), () -> { });

      // The remote versions answer as the local model does.
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String text = Traffic.sentence(i);
        traffic.send(Traffic.text("local-" + i, "minilm", text).setModelVersion("v1").build());
        traffic.send(Traffic.text("openai-" + i, MODEL, text).setModelVersion("openai").build());
        traffic.send(Traffic.text("oip-" + i, MODEL, text).setModelVersion("oip").build());
        ids.addAll(List.of("local-" + i, "openai-" + i, "oip-" + i));
      }
      traffic.awaitOutcomes(ids, Duration.ofMinutes(3));
      for (int i = 0; i < 16; i++) {
        InferenceResult local = traffic.result("local-" + i);
        for (String remote : List.of("openai", "oip")) {
          InferenceResult result = traffic.result(remote + "-" + i);
          assertThat(result.getStatus()).as("%s-%d: %s", remote, i, result.getError()).isEqualTo(Status.OK);
          assertThat(result.getEndpoint()).isEqualTo("gateway-" + remote);
          assertThat(Cosine.of(vector(local), vector(result))).as("%s-%d against the local model", remote, i).isGreaterThan(0.9999);
          assertThat(result.getInputTokens()).as("counted by the artifact's tokenizer").isEqualTo(local.getInputTokens());
        }
      }

      // A deadline shorter than the remote call: the primary gateway is stopped (SIGSTOP), so its calls hang.
      List<String> late = new ArrayList<>();
      signal(primary.process(), "STOP");
      try {
        for (int i = 0; i < 3; i++) {
          traffic.send(Traffic.text("stalled-" + i, MODEL, Traffic.sentence(100 + i)).setModelVersion("stalled")
              .setDeadline(Instant.now().plusMillis(2_500)).build());
          late.add("stalled-" + i);
        }
        traffic.awaitOutcomes(late, Duration.ofMinutes(1));
      } finally {
        signal(primary.process(), "CONT");
      }
      Thread.sleep(2_000); // a late answer would come now that the gateway runs again
      traffic.assertExactlyOnce(late);
      assertThat(late).allSatisfy(id -> {
        assertThat(traffic.result(id).getStatus()).as(id).isEqualTo(Status.EXPIRED);
        assertThat(traffic.result(id).getError()).contains("passed while the model's endpoint was answering");
      });

      // The primary killed mid-stream: the secondary answers; back, the primary answers again.
      List<String> fallback = new ArrayList<>();
      paced(traffic, fallback, 20);
      traffic.awaitOutcomes(fallback, Duration.ofMinutes(1));
      assertThat(fallback).allSatisfy(id -> assertThat(traffic.result(id).getEndpoint()).as(id).isEqualTo("primary"));
      List<String> duringOutage = new ArrayList<>();
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(1_500); // mid-stream: requests keep coming and calls to the primary are in flight when it dies
          ComponentProcesses.kill(primary.process());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "kill-primary");
      killer.start();
      paced(traffic, duringOutage, 60);
      killer.join();
      primary.restartUntilReady(() -> { });
      List<String> afterRestart = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      boolean primaryAgain = false;
      while (!primaryAgain && System.nanoTime() < until) {
        List<String> batch = new ArrayList<>();
        paced(traffic, batch, 10);
        traffic.awaitOutcomes(batch, Duration.ofMinutes(1));
        afterRestart.addAll(batch);
        primaryAgain = "primary".equals(traffic.result(batch.get(batch.size() - 1)).getEndpoint());
      }
      List<String> all = new ArrayList<>(fallback);
      all.addAll(duringOutage);
      all.addAll(afterRestart);
      traffic.awaitOutcomes(all, Duration.ofMinutes(1));
      traffic.assertExactlyOnce(all);
      assertThat(all).allSatisfy(id -> assertThat(traffic.result(id).getStatus()).as("%s: %s", id, traffic.result(id).getError())
          .isEqualTo(Status.OK));
      assertThat(duringOutage).as("answered by the fallback once the primary died")
          .anySatisfy(id -> assertThat(traffic.result(id).getEndpoint()).isEqualTo("secondary"));
      assertThat(primaryAgain).as("the primary answers again once it is back; worker log:\n%s\nprimary's log:\n%s", worker.log(), primary.log())
          .isTrue();
      String metrics = scrape(worker.port());
      assertThat(counter(metrics, "sluice_worker_endpoint_calls_total", "primary", "breaker_open")).as("calls an open breaker refused")
          .isPositive();
      assertThat(metrics).as("the breaker's gauge is exposed").containsPattern("sluice_worker_endpoint_breaker\\{[^}]*endpoint=\"primary\"");
      assertThat(counter(metrics, "sluice_worker_endpoint_breaker", "primary", null)).as("closed again").isZero();
      assertThat(counter(metrics, "sluice_worker_endpoint_calls_total", "secondary", "ok")).isPositive();

      // Tokens per second in the monitor's snapshots of a remote version, as for a local one.
      assertThat(awaitTokensPerSecond(traffic, cluster, "openai")).as("a relay/openai snapshot with tokens_per_s > 0").isTrue();
    }
  }

  /**
   * Sends {@code count} requests to relay/fallback, one every 50 ms, each with a sentence of its
   * own (a repeat would be answered from the ingress's result cache, without the worker).
   */
  private void paced(Traffic traffic, List<String> ids, int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      int n = sent++;
      String id = "fallback-" + n;
      traffic.send(Traffic.text(id, MODEL, Traffic.sentence(1_000 + n)).setModelVersion("fallback").build());
      ids.add(id);
      Thread.sleep(50);
    }
  }

  private static boolean awaitTokensPerSecond(Traffic traffic, String[] cluster, String version) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    int next = 0;
    while (System.nanoTime() < deadline) {
      CliRun tail = CliRun.of(new TailCommand(), with(cluster, "metrics", "--json", "--from-beginning", "--timeout-ms", "2000"));
      assertThat(tail.exit()).as(tail.err()).isZero();
      for (String line : tail.outLines()) {
        try {
          JsonNode snapshot = JSON.readTree(line);
          if (snapshot.get("model").asText().equals(MODEL) && snapshot.get("model_version").asText().equals(version)
              && snapshot.get("tokens_per_s").asDouble() > 0) {
            return true;
          }
        } catch (java.io.IOException e) {
          throw new AssertionError("sluice tail metrics --json printed " + line, e);
        }
      }
      List<String> more = new ArrayList<>();
      for (int i = 0; i < 5; i++, next++) {
        traffic.send(Traffic.text("trickle-" + next, MODEL, Traffic.sentence(300 + next)).setModelVersion(version).build());
        more.add("trickle-" + next);
      }
      traffic.awaitOutcomes(more, Duration.ofMinutes(1));
    }
    return false;
  }

  /** The value of a meter's sample for the endpoint of relay (and the outcome, when given), 0 when there is none. */
  private static double counter(String metrics, String name, String endpoint, String outcome) {
    Pattern sample = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Matcher matcher = sample.matcher(metrics);
    double sum = 0;
    while (matcher.find()) {
      String labels = matcher.group(1);
      if (labels.contains("endpoint=\"" + endpoint + "\"") && (outcome == null || labels.contains("outcome=\"" + outcome + "\""))) {
        sum += Double.parseDouble(matcher.group(2));
      }
    }
    return sum;
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
  }

  private static List<Float> vector(InferenceResult result) {
    return ((Embedding) result.getOutput()).getVector();
  }

  private static void cli(String[] cluster, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Sluice.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(with(cluster, args));
    assertThat(exit).as("sluice %s: %s%s", String.join(" ", args), out, err).isZero();
  }

  private static String[] with(String[] cluster, String... first) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(cluster));
    return all.toArray(String[]::new);
  }
}
