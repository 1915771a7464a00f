package dev.sluice.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.cli.CliRun;
import dev.sluice.cli.PipelineFixture;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RealKafka(schemaRegistry = true)
class SendCommandTest {

  @Test
  void sendsEachLineAsAnInferenceRequestKeyedByIdempotencyKeyElseRequestId(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "send")) {
      CliRun run = send(pipeline, """
          {"request_id": "r-1", "model": "minilm", "text": "hello", "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}

          {"request_id": "r-2", "model": "minilm", "idempotency_key": "idem-2", "tensor": {"shape": [2], "values": [1, 2]}}
          """);

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("sent 2, bad 0, to topic " + pipeline.topics.requests() + "\n");
      Map<String, ConsumerRecord<String, byte[]>> byKey = pipeline.readAll(pipeline.topics.requests()).stream()
          .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
      assertThat(byKey).containsOnlyKeys("r-1", "idem-2");
      InferenceRequest first = decode(pipeline, byKey.get("r-1"));
      assertThat(first.getRequestId()).isEqualTo("r-1");
      assertThat(first.getInput()).isEqualTo(new TextInput("hello"));
      assertThat(new String(byKey.get("r-1").headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
          .isEqualTo(first.getTraceparent());
      InferenceRequest second = decode(pipeline, byKey.get("idem-2"));
      assertThat(second.getRequestId()).isEqualTo("r-2");
      assertThat(second.getIdempotencyKey()).isEqualTo("idem-2");
      assertThat(second.getInput()).isEqualTo(new TensorInput(List.of(2), List.of(1f, 2f)));
    }
  }

  @Test
  void jsonPrintsEachAcknowledgedRequestWithItsPartitionAndOffsetAndTheSummaryOnStderr(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "sendjson")) {
      SendCommand command = new SendCommand();
      command.stdin = new ByteArrayInputStream("""
          {"request_id": "r-1", "model": "minilm", "text": "hello"}
          {"request_id": "r-2", "model": "minilm", "idempotency_key": "idem-2", "text": "again"}
          """.getBytes(StandardCharsets.UTF_8));

      CliRun run = CliRun.of(command, pipeline.with("--json"));

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.err()).isEqualTo("sent 2, bad 0, to topic " + pipeline.topics.requests() + "\n");
      Map<String, JsonNode> lines = new HashMap<>();
      for (String line : run.outLines()) {
        JsonNode node = new ObjectMapper().readTree(line);
        lines.put(node.get("request_id").asText(), node);
      }
      assertThat(lines).containsOnlyKeys("r-1", "r-2");
      assertThat(lines.get("r-2").get("key").asText()).isEqualTo("idem-2");
      Map<String, ConsumerRecord<String, byte[]>> byKey = pipeline.readAll(pipeline.topics.requests()).stream()
          .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
      assertThat(lines.get("r-1").get("partition").asInt()).isEqualTo(byKey.get("r-1").partition());
      assertThat(lines.get("r-1").get("offset").asLong()).isEqualTo(byKey.get("r-1").offset());
      assertThat(lines.get("r-2").get("topic").asText()).isEqualTo(pipeline.topics.requests());
    }
  }

  @Test
  void badLinesAreReportedWithTheirNumbersAndTheGoodOnesStillSent(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "sendbad")) {
      Path file = dir.resolve("requests.jsonl");
      Files.writeString(file, """
          {"request_id": "good-1", "model": "minilm", "text": "one"}
          this is not json
          {"text": "no model"}
          {"model": "minilm", "text": "two inputs", "features": {"a": 1}}
          {"request_id": "good-2", "model": "minilm", "text": "two"}
          """);

      CliRun run = CliRun.of(new SendCommand(), pipeline.with("--file", file.toString()));

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err().lines()).hasSize(3);
      assertThat(run.err()).contains("line 2: not valid JSON at column 1: Unrecognized token 'this'")
          .contains("line 3: field 'model' is required\n")
          .contains("line 4: exactly one input is allowed, got text and features\n");
      assertThat(run.out()).isEqualTo("sent 2, bad 3, to topic " + pipeline.topics.requests() + "\n");
      assertThat(pipeline.readAll(pipeline.topics.requests())).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("good-1", "good-2");
    }
  }

  @Test
  void missingRequestsTopicIsOneLineSayingHowToCreateIt(KafkaCluster kafka) {
    PipelineFixture pipeline = PipelineFixture.named(kafka, "sendnone");

    CliRun run = send(pipeline, "{\"model\": \"m\", \"text\": \"x\"}\n");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("sluice: topic " + pipeline.topics.requests() + " does not exist in Kafka at "
        + kafka.bootstrapServers() + ": create them with ./sluice topics create --prefix " + pipeline.prefix());
  }

  @Test
  void unreachableBrokerIsOneLineAndEndsWithinTheTimeout() throws Exception {
    int port = PipelineFixture.closedPort();
    long start = System.nanoTime();

    CliRun run = CliRun.of(new SendCommand(), "--bootstrap-servers", "localhost:" + port);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(KafkaAdmins.REACH_TIMEOUT.plusSeconds(5));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip()).doesNotContain("\n").doesNotContain("Exception")
        .startsWith("sluice: cannot reach Kafka at localhost:" + port).contains("--bootstrap-servers");
  }

  @Test
  void unreachableRegistryIsOneLineNamingIt(KafkaCluster kafka) throws Exception {
    try (PipelineFixture pipeline = PipelineFixture.create(kafka, "sendreg")) {
      int port = PipelineFixture.closedPort();
      SendCommand command = new SendCommand();
      command.stdin = new ByteArrayInputStream("{\"model\": \"m\", \"text\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));

      CliRun run = CliRun.of(command, "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", "http://localhost:" + port,
          "--prefix", pipeline.prefix());

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err().strip()).doesNotContain("\n")
          .isEqualTo("sluice: cannot reach the schema registry at http://localhost:" + port
              + "; is it running? start one with ./sluice up, or pass --schema-registry-url");
    }
  }

  private static CliRun send(PipelineFixture pipeline, String stdin) {
    SendCommand command = new SendCommand();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = CliRun.commandLine(command, out, err).execute(pipeline.options());
    return new CliRun(exit, out.toString(), err.toString());
  }

  private static InferenceRequest decode(PipelineFixture pipeline, ConsumerRecord<String, byte[]> record) {
    return pipeline.decode(InferenceRequest.class, record.topic(), record.value());
  }
}
