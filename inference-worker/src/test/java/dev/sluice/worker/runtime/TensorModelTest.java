package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** TENSOR models, on a tiny ONNX model written by the test: y = x * 2 + [1, 2, 3]. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TensorModelTest {
  private DjlModelLoader loader;
  private ModelRunner batched;
  private ModelRunner unbatched;

  @BeforeAll
  void loadTinyModel(@TempDir Path temp) throws Exception {
    loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(temp.resolve("scratch")).withParallelism(2, 8));
    Path dir = temp.resolve("tiny");
    TinyOnnxModel.writeTo(dir);
    ModelLimits batchDimension = ModelLimits.newBuilder().setTensorShape(List.of(-1, 3))
        .setFeatureNames(List.of("a", "b", "c")).build();
    batched = loader.load(tensorDeployment(dir.toString(), batchDimension));
    unbatched = loader.load(tensorDeployment(dir.toString(), null));
  }

  @AfterAll
  void close() {
    if (batched != null) {
      batched.close();
    }
    if (unbatched != null) {
      unbatched.close();
    }
  }

  @Test
  void returnsTheFirstOutputPerTensorInputInInputOrder() throws Exception {
    BatchResult result = batched.run(List.of(
        tensor(List.of(1, 3), 1, 2, 3),
        tensor(List.of(2, 3), 0, 0, 0, 1, 1, 1),
        tensor(List.of(1, 3), -1, -2, -3)));

    assertThat(result.outputs()).hasSize(3);
    assertTensor(result.outputs().get(0), List.of(1, 3), 3, 6, 9);
    assertTensor(result.outputs().get(1), List.of(2, 3), 1, 2, 3, 3, 4, 5);
    assertTensor(result.outputs().get(2), List.of(1, 3), -1, -2, -3);
    assertThat(result.realTokens()).isEqualTo(12);
    assertThat(result.paddedTokens()).isEqualTo(12);
  }

  @Test
  void ordersTabularFeaturesByTheDeploymentsFeatureNames() throws Exception {
    Map<String, Double> features = new HashMap<>(Map.of("c", 30.0, "a", 10.0, "b", 20.0));
    BatchResult result = batched.run(List.of(TabularInput.newBuilder().setFeatures(features).build()));

    assertTensor(result.outputs().get(0), List.of(1, 3), 21, 42, 63);
  }

  @Test
  void runsTensorsOneByOneWhenNoBatchDimensionIsDeclared() throws Exception {
    BatchResult result = unbatched.run(List.of(tensor(List.of(1, 3), 1, 1, 1), tensor(List.of(1, 3), 2, 2, 2)));

    assertTensor(result.outputs().get(0), List.of(1, 3), 3, 4, 5);
    assertTensor(result.outputs().get(1), List.of(1, 3), 5, 6, 7);
  }

  @Test
  void failsTheBatchForATensorWhoseValuesDoNotFillItsShape() {
    assertThatThrownBy(() -> batched.run(List.of(tensor(List.of(1, 3), 1, 2, 3), tensor(List.of(1, 3), 1, 2))))
        .isInstanceOf(ModelRunException.class)
        .hasMessageContaining("Input 1")
        .hasMessageContaining("holds 3 values, but 2 were given");
  }

  @Test
  void failsTheBatchForATextInput() {
    assertThatThrownBy(() -> batched.run(List.of(TextInput.newBuilder().setText("hello").build())))
        .isInstanceOf(ModelRunException.class)
        .hasMessageContaining("takes TensorInput or TabularInput");
  }

  @Test
  void failsTheBatchWhenTheModelRejectsTheShape() {
    assertThatThrownBy(() -> batched.run(List.of(tensor(List.of(1, 4), 1, 2, 3, 4))))
        .isInstanceOf(ModelRunException.class)
        .hasMessageContaining("Model call failed");
  }

  private static ModelDeployment tensorDeployment(String uri, ModelLimits limits) {
    return Deployments.builder(uri, Task.TENSOR).setModel("tiny").setLimits(limits).build();
  }

  private static TensorInput tensor(List<Integer> shape, float... values) {
    List<Float> list = new java.util.ArrayList<>();
    for (float value : values) {
      list.add(value);
    }
    return TensorInput.newBuilder().setShape(shape).setValues(list).build();
  }

  private static void assertTensor(Object output, List<Integer> shape, float... values) {
    assertThat(output).isInstanceOf(Tensor.class);
    Tensor tensor = (Tensor) output;
    assertThat(tensor.getShape()).isEqualTo(shape);
    assertThat(tensor.getValues()).containsExactly(FloatLists.boxed(values).toArray(new Float[0]));
  }
}
