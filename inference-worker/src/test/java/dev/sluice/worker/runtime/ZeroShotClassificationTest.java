package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Task;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** TEXT_CLASSIFICATION: zero-shot over the bundled encoder, labels from the deployment. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZeroShotClassificationTest {
  private static final List<String> LABELS = List.of("sports", "politics", "cooking", "weather", "technology");

  private DjlModelLoader loader;
  private ModelRunner classifier;

  @BeforeAll
  void load(@TempDir Path scratch) throws Exception {
    loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch));
    classifier = loader.load(Deployments.builder(Deployments.MINILM, Task.TEXT_CLASSIFICATION)
        .setModel("topics").setLabels(LABELS).build());
  }

  @AfterAll
  void close() {
    if (classifier != null) {
      classifier.close();
    }
  }

  @Test
  void picksTheObviousLabelForClearSentences() throws Exception {
    Map<String, String> expected = Map.of(
        "The striker scored twice in the final minutes and the team won the championship.", "sports",
        "Parliament passed the new tax bill after a long debate between the parties.", "politics",
        "Simmer the onions in butter, then add the garlic and a pinch of salt.", "cooking",
        "Heavy rain and strong winds are expected tomorrow, with snow in the mountains.", "weather",
        "The new smartphone ships with a faster processor and more memory for apps.", "technology");
    List<String> texts = List.copyOf(expected.keySet());

    BatchResult result = classifier.run(texts.stream().map(TextEmbeddingRunnerTest::text).map(Object.class::cast).toList());

    for (int i = 0; i < texts.size(); i++) {
      ClassScores scores = (ClassScores) result.outputs().get(i);
      assertThat(scores.getScores().get(0).getLabel()).as(texts.get(i)).isEqualTo(expected.get(texts.get(i)));
    }
  }

  @Test
  void scoresEveryLabelBestFirstSummingToOne() throws Exception {
    BatchResult result = classifier.run(List.of(TextEmbeddingRunnerTest.text("It will be sunny and warm all week.")));

    List<ClassScore> scores = ((ClassScores) result.outputs().get(0)).getScores();
    assertThat(scores).extracting(ClassScore::getLabel).containsExactlyInAnyOrderElementsOf(LABELS);
    assertThat(scores).extracting(ClassScore::getScore).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    assertThat(scores.stream().mapToDouble(ClassScore::getScore).sum()).isCloseTo(1.0, within(1e-5));
    assertThat(scores.get(0).getScore()).isGreaterThan(0.5f);
  }

  @Test
  void refusesADeploymentWithoutLabels() {
    assertThatThrownBy(() -> loader.load(Deployments.builder(Deployments.MINILM, Task.TEXT_CLASSIFICATION).build()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("needs labels");
  }

  @Test
  void refusesATemplateWithoutTheLabelPlaceholder() {
    assertThatThrownBy(() -> loader.load(Deployments.builder(Deployments.MINILM, Task.TEXT_CLASSIFICATION)
            .setLabels(LABELS).setProperties(Map.of(ZeroShotClassificationHandler.TEMPLATE, "About a topic.")).build()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Invalid value About a topic. for deployment property classification.template: must contain {label}");
  }

  @Test
  void refusesANonPositiveTemperature() {
    assertThatThrownBy(() -> loader.load(Deployments.builder(Deployments.MINILM, Task.TEXT_CLASSIFICATION)
            .setLabels(LABELS).setProperties(Map.of(ZeroShotClassificationHandler.TEMPERATURE, "0")).build()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("classification.temperature: must be a number > 0");
  }
}
