package dev.sluice.cli.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.LoadState;
import dev.sluice.avro.EndpointProtocol;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.avro.Task;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.PipelineFixture;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@RealKafka(schemaRegistry = true)
class ModelsCommandTest {

  @Test
  void deployWritesOneDeploymentUnderModelSlashVersionAndListShowsIt(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    Files.createFile(dir.resolve("model.onnx"));
    Files.createFile(dir.resolve("tokenizer.json"));
    String artifact = dir.toUri().toString();
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "deploy")) {
      CliRun deploy = models(pipeline, "deploy", "--model", "sentiment", "--version", "v1", "--artifact", artifact,
          "--task", "TEXT_CLASSIFICATION", "--label", "negative", "--label", "positive", "--property", "threads=2",
          "--max-text-chars", "512", "--description", "first cut");

      assertThat(deploy.exit()).as(deploy.err()).isZero();
      assertThat(deploy.out()).contains("deployed sentiment/v1 (TEXT_CLASSIFICATION on ONNX_RUNTIME, " + artifact + ")")
          .contains("sentiment traffic: v1 100 (100.0 %)");
      List<ConsumerRecord<String, byte[]>> records = pipeline.readAll(pipeline.topics.models());
      assertThat(records).extracting(ConsumerRecord::key).containsExactly(new ModelKey("sentiment", "v1").encode());
      ModelDeployment written = pipeline.decode(ModelDeployment.class, pipeline.topics.models(), records.get(0).value());
      assertThat(written.getTask()).isEqualTo(Task.TEXT_CLASSIFICATION);
      assertThat(written.getLabels()).containsExactly("negative", "positive");
      assertThat(written.getProperties()).containsEntry("threads", "2");
      assertThat(written.getLimits().getMaxTextChars()).isEqualTo(512);
      assertThat(written.getTrafficWeight()).isEqualTo(100);

      CliRun list = models(pipeline, "list");

      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.outLines().get(0)).startsWith("MODEL").contains("VERSION", "TASK", "ENGINE", "WEIGHT", "SHADOW", "STATE",
          "ARTIFACT", "DEPLOYED_AT", "DESCRIPTION");
      assertThat(cells(list.outLines().get(1))).containsSequence("sentiment", "v1", "TEXT_CLASSIFICATION", "ONNX_RUNTIME", "100", "100.0", "%",
          "no", "no", "worker", artifact).contains("first", "cut");
    }
  }

  @Test
  void deployWritesRemoteEndpointsInOrderAndRefusesWhatCannotRun(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "endpoints")) {
      CliRun deploy = models(pipeline, "deploy", "--model", "minilm", "--version", "remote", "--artifact", "classpath:models/all-minilm-l6-v2",
          "--endpoint", "name=gpu,protocol=oip-v2,url=http://triton:8000,remote-model=all-minilm,timeout-ms=2000,retries=2,"
              + "api-key-env=TRITON_KEY,header.X-Team=search,max-batch-size=32",
          "--endpoint", "name=cpu,protocol=local");

      assertThat(deploy.exit()).as(deploy.err()).isZero();
      assertThat(deploy.out()).contains("deployed minilm/remote (TEXT_EMBEDDING on gpu http://triton:8000, then cpu (ONNX_RUNTIME,");
      ModelDeployment written = pipeline.decode(ModelDeployment.class, pipeline.topics.models(),
          pipeline.readAll(pipeline.topics.models()).get(0).value());
      assertThat(written.getEndpoints()).extracting(ModelEndpoint::getName).containsExactly("gpu", "cpu");
      ModelEndpoint gpu = written.getEndpoints().get(0);
      assertThat(gpu.getProtocol()).isEqualTo(EndpointProtocol.OIP_V2);
      assertThat(gpu.getUrl()).isEqualTo("http://triton:8000");
      assertThat(gpu.getRemoteModel()).isEqualTo("all-minilm");
      assertThat(gpu.getTimeoutMs()).isEqualTo(2000);
      assertThat(gpu.getRetries()).isEqualTo(2);
      assertThat(gpu.getMaxBatchSize()).isEqualTo(32);
      assertThat(gpu.getApiKeyEnv()).isEqualTo("TRITON_KEY");
      assertThat(gpu.getHeaders()).containsExactly(Map.entry("X-Team", "search"));
      assertThat(written.getEndpoints().get(1).getProtocol()).isEqualTo(EndpointProtocol.LOCAL);

      CliRun list = models(pipeline, "list");
      assertThat(cells(list.outLines().get(1))).contains("gpu=OIP_V2>cpu=LOCAL");

      CliRun remoteOnly = models(pipeline, "deploy", "--model", "minilm", "--version", "tei",
          "--endpoint", "name=tei,protocol=openai,url=http://tei:80");
      assertThat(remoteOnly.exit()).as(remoteOnly.err()).isZero();

      CliRun noArtifact = models(pipeline, "deploy", "--model", "minilm", "--version", "x", "--endpoint", "name=cpu,protocol=local");
      assertThat(noArtifact.exit()).isNotZero();
      assertThat(noArtifact.err()).contains("a local endpoint runs --artifact");
      CliRun openAiClassifier = models(pipeline, "deploy", "--model", "sentiment", "--version", "x", "--task", "TEXT_CLASSIFICATION",
          "--endpoint", "name=tei,protocol=openai,url=http://tei:80");
      assertThat(openAiClassifier.err()).contains("an openai endpoint serves TEXT_EMBEDDING only");
      CliRun badSpec = models(pipeline, "deploy", "--model", "minilm", "--version", "x", "--endpoint", "name=a,protocol=grpc,url=http://a:1",
          "--endpoint", "name=b,protocol=openai", "--endpoint", "name=c,protocol=openai,url=http://c:1,timeout=5");
      assertThat(badSpec.err()).contains("protocol grpc is not oip-v2, openai or local", "protocol openai needs url=",
          "unknown key timeout");
      CliRun keyInRecord = models(pipeline, "deploy", "--model", "minilm", "--version", "x",
          "--endpoint", "name=a,protocol=openai,url=http://a:1,header.Authorization=Bearer sk-secret-123");
      assertThat(keyInRecord.exit()).isNotZero();
      assertThat(keyInRecord.err()).contains("header Authorization carries a credential", "api-key-env").doesNotContain("sk-secret-123");
      assertThat(pipeline.readAll(pipeline.topics.models())).as("nothing written by the refused deploys").hasSize(2);
    }
  }

  @Test
  void trafficRollbackAndUndeployKeepOneScaleAndRollbackRestoresTheSplitBefore(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "traffic")) {
      assertThat(deploy(pipeline, "v1").exit()).isZero();
      CliRun second = deploy(pipeline, "v2");
      assertThat(second.out()).contains("m traffic: v1 100 (100.0 %), v2 0 (0.0 %)");
      assertThat(deploy(pipeline, "s", "--shadow").exit()).isZero();

      CliRun traffic = models(pipeline, "traffic", "--model", "m", "v1=10", "v2=90");

      assertThat(traffic.exit()).as(traffic.err()).isZero();
      assertThat(traffic.out()).isEqualTo("m weights: v1 100 -> 10, v2 0 -> 90\nm traffic: s shadow, v1 10 (10.0 %), v2 90 (90.0 %)\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 10.0, "v2", 90.0, "s", 0.0));

      CliRun rollback = models(pipeline, "rollback", "--model", "m");

      assertThat(rollback.exit()).as(rollback.err()).isZero();
      assertThat(rollback.out()).isEqualTo("m rolled back: v1 10 -> 100, v2 90 -> 0\nm traffic: s shadow, v1 100 (100.0 %), v2 0 (0.0 %)\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 100.0, "v2", 0.0, "s", 0.0));
      assertThat(models(pipeline, "rollback", "--model", "m").out()).startsWith("m rolled back: v1 100 -> 10, v2 0 -> 90\n");

      CliRun third = deploy(pipeline, "v3", "--weight", "50");

      assertThat(third.out()).contains("m traffic: s shadow, v1 5 (5.0 %), v2 45 (45.0 %), v3 50 (50.0 %)");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 5.0, "v2", 45.0, "v3", 50.0, "s", 0.0));

      CliRun undeploy = models(pipeline, "undeploy", "--model", "m", "--version", "v2");

      assertThat(undeploy.exit()).as(undeploy.err()).isZero();
      assertThat(undeploy.out()).isEqualTo("undeployed m/v2\nm traffic: s shadow, v1 9.09 (9.1 %), v3 90.91 (90.9 %)\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 9.09, "v3", 90.91, "s", 0.0));

      CliRun forward = models(pipeline, "rollback", "--model", "m", "--to", "v3");

      assertThat(forward.out()).startsWith("m rolled back: v1 9.09 -> 0, v3 90.91 -> 100\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 0.0, "v3", 100.0, "s", 0.0));
      assertThat(models(pipeline, "list").out()).contains("copies").doesNotContain("file:/v2");
    }
  }

  @Test
  void deployChecksTheArtifactWhereItCanAndWritesNothingWhenItIsNotThere(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    Files.createFile(dir.resolve("model.onnx"));
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", exchange -> {
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/models/good/") ? 200 : 404, -1);
      exchange.close();
    });
    http.start();
    String base = "http://127.0.0.1:" + http.getAddress().getPort();
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "artifact")) {
      CliRun missing = models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "/nonexistent/model.onnx");
      CliRun noTokenizer = models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", dir.toString());
      CliRun noResource = models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "classpath:models/nosuch");
      CliRun notFound = models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", base + "/models/bad/");
      CliRun refused = models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "http://127.0.0.1:"
          + PipelineFixture.closedPort() + "/model.onnx");

      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err().strip()).isEqualTo("sluice: Model artifact /nonexistent/model.onnx not found: /nonexistent/model.onnx does not"
          + " exist (nothing deployed; --no-artifact-check deploys it unchecked, for a path only the workers have)");
      assertThat(noTokenizer.err()).contains("has no tokenizer.json in " + dir);
      assertThat(noResource.err()).contains("no resource models/nosuch/model.onnx on the classpath");
      assertThat(notFound.err()).contains("Model file " + base + "/models/bad/model.onnx is not there: HTTP 404");
      assertThat(refused.err()).contains("does not answer: ConnectException");
      assertThat(pipeline.readAll(pipeline.topics.models())).isEmpty();

      assertThat(models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "classpath:models/all-minilm-l6-v2").exit())
          .isZero();
      assertThat(models(pipeline, "deploy", "--model", "m", "--version", "v2", "--artifact", base + "/models/good/").exit()).isZero();
      assertThat(models(pipeline, "deploy", "--model", "m", "--version", "v3", "--artifact", "/nonexistent/model.onnx",
          "--no-artifact-check").exit()).isZero();
      assertThat(weights(pipeline)).containsOnlyKeys("v1", "v2", "v3");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void listShowsEachVersionsStateAsItsWorkersReportItAndWhyALoadFailed(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "state")) {
      deploy(pipeline, "v1");
      deploy(pipeline, "v2");
      deploy(pipeline, "v3");
      deploy(pipeline, "v4");
      Map<String, ModelDeployment> deployed = new HashMap<>();
      for (ConsumerRecord<String, byte[]> record : pipeline.readAll(pipeline.topics.models())) {
        ModelDeployment d = pipeline.decode(ModelDeployment.class, record.topic(), record.value());
        deployed.put(d.getVersion(), d);
      }
      Map<String, ModelLoadState> states = new HashMap<>();
      states.put("m/v1/w1", state(deployed.get("v1"), "w1", LoadState.READY, null));
      states.put("m/v1/w2", state(deployed.get("v1"), "w2", LoadState.READY, null));
      states.put("m/v2/w1", state(deployed.get("v2"), "w1", LoadState.FAILED, "model m version v2 failed to load: no model.onnx"));
      states.put("m/v2/w2", state(deployed.get("v2"), "w2", LoadState.LOADING, null));
      states.put("m/v3/w1", state(deployed.get("v3"), "w1", LoadState.LOADING, null));
      ModelDeployment earlier = ModelDeployment.newBuilder(deployed.get("v4")).setDeployedAt(deployed.get("v4").getDeployedAt().minusSeconds(60))
          .build();
      states.put("m/v4/w1", state(earlier, "w1", LoadState.READY, null));
      pipeline.produce(pipeline.topics.modelStatus(), states);

      CliRun list = models(pipeline, "list");

      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.outLines().get(1)).contains(" ready on 2 workers ");
      assertThat(list.outLines().get(2)).contains(" failed on 1 of 2 ");
      assertThat(list.outLines().get(3)).contains(" loading ");
      assertThat(list.outLines().get(4)).contains(" no worker ");
      assertThat(list.outLines().get(5)).isEqualTo("m/v2 failed on worker w1: model m version v2 failed to load: no model.onnx");

      List<String> json = models(pipeline, "list", "--json").outLines();

      assertThat(json).hasSize(4);
      JsonNode v1 = new ObjectMapper().readTree(json.get(0));
      assertThat(v1.get("version").asText()).isEqualTo("v1");
      assertThat(v1.get("traffic_share").asDouble()).isEqualTo(100.0);
      assertThat(v1.get("state").asText()).isEqualTo("ready on 2 workers");
      assertThat(v1.get("workers")).extracting(worker -> worker.get("worker_id").asText()).containsExactlyInAnyOrder("w1", "w2");
      assertThat(new ObjectMapper().readTree(json.get(1)).get("workers").findValuesAsText("reason"))
          .contains("model m version v2 failed to load: no model.onnx");

      Map<String, byte[]> gone = new HashMap<>();
      gone.put("m/v1/w2", null);
      pipeline.produceRaw(pipeline.topics.modelStatus(), gone);

      assertThat(models(pipeline, "list").outLines().get(1)).contains(" ready ").doesNotContain("ready on");
    }
  }

  @Test
  void refusedTrafficChangesAreOneLineAndWriteNothing(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "refuse")) {
      deploy(pipeline, "v1");
      int written = pipeline.readAll(pipeline.topics.models()).size();

      CliRun unknown = models(pipeline, "traffic", "--model", "m", "v9=5");
      CliRun none = models(pipeline, "traffic", "--model", "m", "v1=0");
      CliRun noModel = models(pipeline, "rollback", "--model", "other");

      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err().strip()).isEqualTo("sluice: model m has no version v9 (deployed: [v1])");
      assertThat(none.err()).startsWith("sluice: the weights add up to 0, and no other version of model m takes traffic");
      assertThat(noModel.err()).startsWith("sluice: model other has no deployed version on " + pipeline.topics.models());
      assertThat(pipeline.readAll(pipeline.topics.models())).hasSize(written);
    }
  }

  @Test
  void aTombstoneRemovesTheVersionFromTheList(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tomb")) {
      deploy(pipeline, "v1");
      deploy(pipeline, "v2");
      Map<String, byte[]> tombstone = new HashMap<>();
      tombstone.put("m/v2", null);
      pipeline.produceRaw(pipeline.topics.models(), tombstone);

      CliRun list = models(pipeline, "list");

      assertThat(list.outLines()).hasSize(2);
      assertThat(list.out()).contains("file:/v1").doesNotContain("file:/v2");
    }
  }

  @Test
  void deployRefusesABadModelNameBeforeTouchingKafka() {
    CliRun run = CliRun.of(new CommandLine(new ModelsCommand()).getSubcommands().get("deploy").getCommand(),
        "--model", "a/b", "--version", "v1", "--artifact", "x", "--bootstrap-servers", "localhost:1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid model name a/b");
  }

  private static CliRun models(PipelineFixture pipeline, String... args) {
    return CliRun.of(new ModelsCommand(), pipeline.with(args));
  }

  /** Deploys version {@code version} of model m from {@code file:/<version>}, unchecked (no such file here). */
  private static CliRun deploy(PipelineFixture pipeline, String version, String... more) {
    List<String> args = new ArrayList<>(List.of("deploy", "--model", "m", "--version", version, "--artifact", "file:/" + version,
        "--no-artifact-check"));
    args.addAll(List.of(more));
    return models(pipeline, args.toArray(String[]::new));
  }

  private static ModelLoadState state(ModelDeployment d, String worker, LoadState state, String reason) {
    return ModelLoadState.newBuilder().setModel(d.getModel()).setVersion(d.getVersion()).setWorkerId(worker).setState(state)
        .setReason(reason).setDeployedAt(d.getDeployedAt()).setDevice(state == LoadState.READY ? "cpu" : null)
        .setReportedAt(Instant.now()).build();
  }

  private static Map<String, Double> weights(PipelineFixture pipeline) {
    Map<String, Double> weights = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : pipeline.readAll(pipeline.topics.models())) {
      if (record.value() == null) {
        weights.remove(ModelKey.decode(record.key()).version());
        continue;
      }
      ModelDeployment d = pipeline.decode(ModelDeployment.class, record.topic(), record.value());
      weights.put(d.getVersion(), d.getTrafficWeight());
    }
    return weights;
  }

  private static List<String> cells(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }
}
