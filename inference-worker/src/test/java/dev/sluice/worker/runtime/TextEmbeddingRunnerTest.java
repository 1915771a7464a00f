package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Task;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The bundled all-MiniLM-L6-v2 (fp32) as a TEXT_EMBEDDING model, loaded once from the classpath. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextEmbeddingRunnerTest {
  static final List<String> SENTENCES = List.of(
      "The cat sits on the mat",
      "A cat is sitting on a mat",
      "Quarterly revenue grew by twelve percent, beating analyst expectations.",
      "How do I reset my password?",
      "The train to Berlin leaves at half past seven from platform four, unless it is delayed again.",
      "Photosynthesis converts light energy into chemical energy stored in glucose.",
      "ok",
      "Ünïcödé façade naïve café — and emoji 🚀 too.");

  private DjlModelLoader loader;
  private ModelRunner runner;

  @BeforeAll
  void loadFromClasspath(@TempDir Path scratch) throws Exception {
    loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch).withParallelism(2, 4));
    runner = loader.load(Deployments.embedding(Deployments.MINILM));
  }

  @AfterAll
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  @Test
  void loadsTheBundledModelFromTheClasspathOnTheCpuWhenNoGpuIsPresent() {
    assertThat(runner.info().model()).isEqualTo("minilm");
    assertThat(runner.info().version()).isEqualTo("v1");
    assertThat(runner.info().task()).isEqualTo(Task.TEXT_EMBEDDING);
    assertThat(runner.info().engine()).isEqualTo("OnnxRuntime");
    assertThat(runner.info().device()).as("device auto without a GPU").isEqualTo("cpu");
    assertThat(runner.info().predictors()).isEqualTo(2);
    assertThat(runner.info().loadTime()).isPositive().isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void givesUnitVectorsOf384Dimensions() throws Exception {
    for (float[] vector : embed(SENTENCES)) {
      assertThat(vector).hasSize(384);
      assertThat(Vectors.norm(vector)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void placesParaphrasesCloseAndUnrelatedSentencesFarApart() throws Exception {
    List<float[]> v = embed(List.of(
        "The cat sits on the mat", "A cat is sitting on a mat",
        "How do I reset my password?", "I forgot my password, how can I change it?",
        "Quarterly revenue grew by twelve percent.", "The volcano erupted, covering the village in ash."));

    assertThat(Vectors.cosine(v.get(0), v.get(1))).isGreaterThan(0.7);
    assertThat(Vectors.cosine(v.get(2), v.get(3))).isGreaterThan(0.7);
    assertThat(Vectors.cosine(v.get(0), v.get(2))).isLessThan(0.3);
    assertThat(Vectors.cosine(v.get(4), v.get(5))).isLessThan(0.3);
    assertThat(Vectors.cosine(v.get(0), v.get(4))).isLessThan(0.3);
  }

  @Test
  void matchesTheLangchain4jReferenceWithin1e4PerComponent() throws Exception {
    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    List<float[]> ours = embed(SENTENCES);
    for (int i = 0; i < SENTENCES.size(); i++) {
      float[] expected = reference.embed(SENTENCES.get(i)).content().vector();
      assertThat(ours.get(i)).as(SENTENCES.get(i)).containsExactly(expected, within(1e-4f));
    }
  }

  @Test
  void givesTheSameVectorsInABatchAsOneByOneWhateverTheOrderAndLengthMix() throws Exception {
    List<String> texts = new ArrayList<>(SENTENCES);
    texts.add(String.join(" ", Collections.nCopies(40, "word")));
    List<float[]> single = new ArrayList<>();
    for (String text : texts) {
      single.add(embed(List.of(text)).get(0));
    }
    Random random = new Random(7);
    for (int round = 0; round < 3; round++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      List<float[]> batch = embed(order.stream().map(texts::get).toList());
      for (int k = 0; k < order.size(); k++) {
        assertThat(batch.get(k)).as(texts.get(order.get(k))).containsExactly(single.get(order.get(k)), within(1e-5f));
      }
    }
  }

  @Test
  void countsRealTokensAndTheTokensOfEachPaddedModelCall() throws Exception {
    List<String> texts = List.of("short one", "a somewhat longer sentence with more tokens in it", "tiny",
        "another long sentence that needs quite a few more tokens than the short ones do");
    long[] lengths = new long[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      BatchResult alone = runner.run(List.of(text(texts.get(i))));
      assertThat(alone.paddedTokens()).as("one text has no padding").isEqualTo(alone.realTokens());
      lengths[i] = alone.realTokens();
    }

    BatchResult result = runner.run(texts.stream().map(TextEmbeddingRunnerTest::text).map(Object.class::cast).toList());

    // two predictors: the sorted texts cut into two calls where the larger call is smallest, each
    // call padded to its longest text
    long[] sorted = lengths.clone();
    java.util.Arrays.sort(sorted);
    long expectedPadded = Long.MAX_VALUE;
    long bestLargest = Long.MAX_VALUE;
    for (int cut = 1; cut < sorted.length; cut++) {
      long first = cut * sorted[cut - 1];
      long second = (sorted.length - cut) * sorted[sorted.length - 1];
      if (Math.max(first, second) <= bestLargest) {
        bestLargest = Math.max(first, second);
        expectedPadded = first + second;
      }
    }
    assertThat(result.realTokens()).isEqualTo(lengths[0] + lengths[1] + lengths[2] + lengths[3]);
    assertThat(result.paddedTokens()).isEqualTo(expectedPadded);
    assertThat(result.inferenceNanos()).isPositive();
  }

  @Test
  void truncatesTextsToTheMaximumSequenceLength() throws Exception {
    String longText = String.join(" ", Collections.nCopies(600, "token"));

    BatchResult result = runner.run(List.of(text(longText)));

    assertThat(result.realTokens()).isEqualTo(RuntimeConfig.DEFAULT_MAX_SEQUENCE_LENGTH);
  }

  @Test
  void answersAnEmptyBatchWithNoOutputs() throws Exception {
    BatchResult result = runner.run(List.of());

    assertThat(result.outputs()).isEmpty();
    assertThat(result.realTokens()).isZero();
  }

  @Test
  void failsTheWholeBatchWhenOneInputIsNotText() {
    List<Object> inputs = List.of(text("fine"), TensorInput.newBuilder().setShape(List.of(1)).setValues(List.of(1f)).build());

    assertThatThrownBy(() -> runner.run(inputs))
        .isInstanceOf(ModelRunException.class)
        .hasMessageContaining("TEXT_EMBEDDING model takes TextInput, but input 1 is TensorInput");
  }

  private List<float[]> embed(List<String> texts) throws ModelRunException {
    BatchResult result = runner.run(texts.stream().map(TextEmbeddingRunnerTest::text).map(Object.class::cast).toList());
    assertThat(result.outputs()).hasSize(texts.size());
    return result.outputs().stream().map(o -> Vectors.toArray((Embedding) o)).toList();
  }

  static TextInput text(String text) {
    return TextInput.newBuilder().setText(text).build();
  }
}
