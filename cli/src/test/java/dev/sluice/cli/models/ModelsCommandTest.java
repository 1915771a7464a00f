package dev.sluice.cli.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.PipelineFixture;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@RealKafka(schemaRegistry = true)
class ModelsCommandTest {

  @Test
  void deployWritesOneDeploymentUnderModelSlashVersionAndListShowsIt(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "deploy")) {
      CliRun deploy = models(pipeline, "deploy", "--model", "sentiment", "--version", "v1", "--artifact", "file:/models/s1",
          "--task", "TEXT_CLASSIFICATION", "--label", "negative", "--label", "positive", "--property", "threads=2",
          "--max-text-chars", "512", "--description", "first cut");

      assertThat(deploy.exit()).as(deploy.err()).isZero();
      assertThat(deploy.out()).contains("deployed sentiment/v1 (TEXT_CLASSIFICATION on ONNX_RUNTIME, file:/models/s1)")
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
      assertThat(list.outLines().get(0)).startsWith("MODEL").contains("VERSION", "TASK", "ENGINE", "WEIGHT", "SHADOW", "ARTIFACT",
          "DEPLOYED_AT", "DESCRIPTION");
      assertThat(cells(list.outLines().get(1))).containsSequence("sentiment", "v1", "TEXT_CLASSIFICATION", "ONNX_RUNTIME", "100", "100.0", "%",
          "no", "file:/models/s1").contains("first", "cut");
    }
  }

  @Test
  void trafficAndRollbackRewriteTheWeights(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "traffic")) {
      assertThat(models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "file:/v1").exit()).isZero();
      CliRun second = models(pipeline, "deploy", "--model", "m", "--version", "v2", "--artifact", "file:/v2");
      assertThat(second.out()).contains("m traffic: v1 100 (100.0 %), v2 0 (0.0 %)");
      assertThat(models(pipeline, "deploy", "--model", "m", "--version", "s", "--artifact", "file:/s", "--shadow").exit()).isZero();

      CliRun traffic = models(pipeline, "traffic", "--model", "m", "v1=10", "v2=90");

      assertThat(traffic.exit()).as(traffic.err()).isZero();
      assertThat(traffic.out()).isEqualTo("m weights: v1 100 -> 10, v2 0 -> 90\nm traffic: s shadow, v1 10 (10.0 %), v2 90 (90.0 %)\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 10.0, "v2", 90.0, "s", 0.0));

      CliRun rollback = models(pipeline, "rollback", "--model", "m");

      assertThat(rollback.exit()).as(rollback.err()).isZero();
      assertThat(rollback.out()).isEqualTo("m rolled back: v2 90 -> 0\nm traffic: s shadow, v1 10 (100.0 %), v2 0 (0.0 %)\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 10.0, "v2", 0.0, "s", 0.0));

      CliRun forward = models(pipeline, "rollback", "--model", "m", "--to", "v2");

      assertThat(forward.out()).startsWith("m rolled back: v1 10 -> 0, v2 0 -> 100\n");
      assertThat(weights(pipeline)).isEqualTo(Map.of("v1", 0.0, "v2", 100.0, "s", 0.0));
      assertThat(models(pipeline, "list").out()).contains("copies");
    }
  }

  @Test
  void refusedTrafficChangesAreOneLineAndWriteNothing(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "refuse")) {
      models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "file:/v1");
      int written = pipeline.readAll(pipeline.topics.models()).size();

      CliRun unknown = models(pipeline, "traffic", "--model", "m", "v9=5");
      CliRun none = models(pipeline, "traffic", "--model", "m", "v1=0");
      CliRun noModel = models(pipeline, "rollback", "--model", "other");

      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err().strip()).isEqualTo("sluice: model m has no version v9 (deployed: [v1])");
      assertThat(none.err()).startsWith("sluice: these weights would leave model m without traffic");
      assertThat(noModel.err()).startsWith("sluice: model other has no deployed version on " + pipeline.topics.models());
      assertThat(pipeline.readAll(pipeline.topics.models())).hasSize(written);
    }
  }

  @Test
  void aTombstoneRemovesTheVersionFromTheList(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "tomb")) {
      models(pipeline, "deploy", "--model", "m", "--version", "v1", "--artifact", "file:/v1");
      models(pipeline, "deploy", "--model", "m", "--version", "v2", "--artifact", "file:/v2");
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

  private static Map<String, Double> weights(PipelineFixture pipeline) {
    Map<String, Double> weights = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : pipeline.readAll(pipeline.topics.models())) {
      ModelDeployment d = pipeline.decode(ModelDeployment.class, record.topic(), record.value());
      weights.put(d.getVersion(), d.getTrafficWeight());
    }
    return weights;
  }

  private static List<String> cells(String line) {
    return Arrays.asList(line.trim().split("\\s+"));
  }
}
