package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ReasonCode;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.schemas.topics.TopicSpec;
import dev.sluice.schemas.topics.ValueContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractsTest {

  @Test
  void theReasonCodesTableExplainsEveryCodeOfTheContractAndNoOther() {
    String table = Contracts.reasonCodes();
    Set<String> listed = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| ([A-Z_]+) \\| [^|]+\\| [^|]+\\|$").matcher(table);
    while (row.find()) {
      listed.add(row.group(1));
    }

    assertThat(listed).isEqualTo(new TreeSet<>(ReasonCode.getClassSchema().getEnumSymbols()));
  }

  @Test
  void theJarShipsEveryContractAsAnAvscThatParsesToTheGeneratedClassesSchema() {
    for (Schema contract : Contracts.ALL) {
      Schema shipped = new Schema.Parser().parse(Contracts.shippedText(contract));
      assertThat(shipped).as(Contracts.fileName(contract)).isEqualTo(contract);
      assertThat(shipped.getDoc()).as("doc of %s", contract.getName()).isNotBlank();
    }
  }

  @Test
  void writtenFilesAreTheContractsOneFilePerRecord(@TempDir Path dir) throws Exception {
    List<Path> files = Contracts.write(dir);

    assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("InferenceRequest.avsc", "PreparedRequest.avsc",
        "InferenceResult.avsc", "RejectedRequest.avsc", "MetricEvent.avsc", "MetricsSnapshot.avsc", "Alert.avsc", "Feedback.avsc",
        "ModelDeployment.avsc", "AuditEvent.avsc", "ModelLoadState.avsc");
    assertThat(new Schema.Parser().parse(Files.readString(dir.resolve("InferenceRequest.avsc"))))
        .isEqualTo(Contracts.ALL.get(0));
  }

  @Test
  void everyPipelineTopicButTheSchemaStoreHasAValueContract() {
    PipelineTopics topics = new PipelineTopics("p");
    List<String> models = List.of("minilm", "other");

    List<String> withContract = topics.valueContracts(models).stream().map(ValueContract::topic).toList();
    List<String> all = topics.specs(TopicSettings.singleBroker(), models).stream().map(TopicSpec::name)
        .filter(name -> !name.equals(PipelineTopics.SCHEMAS)).toList();

    assertThat(withContract).containsExactlyInAnyOrderElementsOf(all);
    assertThat(topics.valueContracts(models)).filteredOn(c -> c.topic().equals("p.inference.other")).singleElement()
        .satisfies(c -> assertThat(c.subject()).isEqualTo("p.inference.other-value"))
        .satisfies(c -> assertThat(c.schema().getName()).isEqualTo("PreparedRequest"));
    assertThat(topics.valueContracts(models).stream().map(c -> c.schema()).distinct()).filteredOn(schema -> schema.getType() == Schema.Type.RECORD)
        .containsExactlyInAnyOrderElementsOf(Contracts.ALL);
    assertThat(topics.valueContracts(models)).filteredOn(c -> c.topic().equals("p.replies")).singleElement()
        .satisfies(c -> assertThat(c.schema().getTypes()).extracting(Schema::getName).containsExactly("InferenceResult", "RejectedRequest"));
  }
}
