package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Task;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The bundled quantized variant (all-minilm-l6-v2-q) through the same runtime. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizedModelTest {
  private DjlModelLoader loader;
  private ModelRunner runner;

  @BeforeAll
  void load(@TempDir Path scratch) throws Exception {
    loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch).withParallelism(2, 8));
    runner = loader.load(Deployments.embedding(Deployments.MINILM_QUANTIZED));
    assertThat(runner.info().predictors()).isEqualTo(2);
  }

  @AfterAll
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  @Test
  void matchesTheLangchain4jQuantizedReferenceOneTextAtATime() throws Exception {
    AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    for (String sentence : TextEmbeddingRunnerTest.SENTENCES) {
      float[] ours = embed(List.of(sentence)).get(0);
      assertThat(ours).as(sentence).containsExactly(reference.embed(sentence).content().vector(), within(1e-4f));
    }
  }

  @Test
  void runsEachTextAloneSoThatItsVectorDoesNotDependOnItsBatchCompanions() throws Exception {
    List<String> texts = TextEmbeddingRunnerTest.SENTENCES;
    BatchResult batch = runner.run(texts.stream().map(TextEmbeddingRunnerTest::text).map(Object.class::cast).toList());

    for (int i = 0; i < texts.size(); i++) {
      float[] alone = embed(List.of(texts.get(i))).get(0);
      assertThat(Vectors.toArray((Embedding) batch.outputs().get(i))).as(texts.get(i)).containsExactly(alone, within(1e-6f));
    }
    assertThat(batch.paddedTokens()).as("no padding when every text runs alone").isEqualTo(batch.realTokens());
  }

  @Test
  void batchesTheQuantizedModelWhenTheDeploymentAsksForIt() throws Exception {
    try (ModelRunner batched = loader.load(Deployments.builder(Deployments.MINILM_QUANTIZED, Task.TEXT_EMBEDDING)
        .setProperties(Map.of(DjlModelLoader.SUB_BATCH_SIZE, "8")).build())) {
      BatchResult result = batched.run(List.of(TextEmbeddingRunnerTest.text("short"),
          TextEmbeddingRunnerTest.text("a considerably longer text than the other one"),
          TextEmbeddingRunnerTest.text("tiny"), TextEmbeddingRunnerTest.text("long, but not as long as the other")));

      assertThat(result.paddedTokens()).isGreaterThan(result.realTokens());
    }
  }

  @Test
  void keepsParaphrasesCloseAndUnrelatedSentencesApart() throws Exception {
    List<float[]> v = embed(List.of("The cat sits on the mat", "A cat is sitting on a mat",
        "Quarterly revenue grew by twelve percent."));

    assertThat(Vectors.cosine(v.get(0), v.get(1))).isGreaterThan(0.7);
    assertThat(Vectors.cosine(v.get(0), v.get(2))).isLessThan(0.3);
  }

  private List<float[]> embed(List<String> texts) throws Exception {
    return runner.run(texts.stream().map(TextEmbeddingRunnerTest::text).map(Object.class::cast).toList())
        .outputs().stream().map(o -> Vectors.toArray((Embedding) o)).toList();
  }
}
