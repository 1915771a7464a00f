package dev.sluice.cli.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.cli.CliRun;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RealKafka(schemaRegistry = true)
class SchemasCommandTest {

  @Test
  void registerPublishesEverySubjectOnceAndKeepsANewerVersionLatest(KafkaCluster kafka) throws Exception {
    CliRun first = CliRun.of(new SchemasCommand(), "register", "--schema-registry-url", kafka.schemaRegistryUrl(), "--prefix", "reg",
        "--model", "minilm", "--model", "other");

    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.outLines()).hasSize(16).allMatch(line -> line.contains("registered (version 1, id "));
    assertThat(first.out()).contains("reg.inference.other-value", "PreparedRequest");

    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()))) {
      Schema newer = new Schema.Parser().parse(InferenceResult.getClassSchema().toString().replaceFirst("\"fields\":\\[",
          "\"fields\":[{\"name\":\"added_later\",\"type\":[\"null\",\"string\"],\"default\":null},"));
      registry.register("reg.results-value", newer);

      CliRun again = CliRun.of(new SchemasCommand(), "register", "--schema-registry-url", kafka.schemaRegistryUrl(), "--prefix", "reg",
          "--model", "minilm", "--model", "other");

      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.outLines()).hasSize(16).allMatch(line -> line.contains("exists (version 1, id "));
      assertThat(registry.listVersions("reg.results-value")).containsExactly(1, 2);
      assertThat(registry.getLatest("reg.results-value").schema()).isEqualTo(newer);
    }
  }

  @Test
  void anIllegalModelNameIsOneLine(KafkaCluster kafka) {
    CliRun run = CliRun.of(new SchemasCommand(), "register", "--schema-registry-url", kafka.schemaRegistryUrl(), "--model", "no/slash");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip()).startsWith("sluice: Invalid model name no/slash");
  }

  @Test
  void exportWritesTheShippedContracts(@TempDir Path dir) throws Exception {
    CliRun run = CliRun.of(new SchemasCommand(), "export", "--dir", dir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(11);
    assertThat(new Schema.Parser().parse(Files.readString(dir.resolve("InferenceResult.avsc")))).isEqualTo(InferenceResult.getClassSchema());
  }
}
