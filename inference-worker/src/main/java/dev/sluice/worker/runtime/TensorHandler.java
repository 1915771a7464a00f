package dev.sluice.worker.runtime;

import dev.sluice.avro.TabularInput;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TENSOR: a {@link TensorInput} (or a {@link TabularInput}, as one row {@code [1, features]} in
 * the deployment's feature order) in, the model's first output out as a {@link Tensor}.
 *
 * <p>Inputs are batched along their first dimension when the model has a batch dimension there:
 * tabular rows always (the {@code [N, features]} convention), tensors when the deployment's
 * {@code tensor_shape} starts with -1. Inputs that share their other dimensions go through as one
 * tensor; the rest run alone. Element counts stand for tokens (there is no padding).
 */
final class TensorHandler implements TaskHandler {
  private final PredictorPool<TensorRows, TensorRows> pool;
  private final Optional<List<Integer>> declaredShape;
  private final List<String> featureNames;
  private final int maxRows;

  /**
   * @param declaredShape the deployment's {@code tensor_shape}, if any
   * @param featureNames the order of tabular features
   * @param maxRows most inputs in one model call
   */
  TensorHandler(PredictorPool<TensorRows, TensorRows> pool, Optional<List<Integer>> declaredShape,
      List<String> featureNames, int maxRows) {
    this.pool = pool;
    this.declaredShape = declaredShape.map(List::copyOf);
    this.featureNames = List.copyOf(featureNames);
    this.maxRows = maxRows;
  }

  @Override
  public BatchResult run(List<Object> inputs) throws ModelRunException {
    List<TensorRows> rows = new ArrayList<>(inputs.size());
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    long elements = 0;
    for (int i = 0; i < inputs.size(); i++) {
      Object input = inputs.get(i);
      TensorRows tensor = toRows(input, i);
      rows.add(tensor);
      elements += tensor.values().length;
      String group = batchable(input, tensor) ? "rows" + Arrays.toString(tensor.rowShape()) : "alone" + i;
      groups.computeIfAbsent(group, key -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> chunks = new ArrayList<>();
    int perChunk = Math.max(1, Math.min(maxRows, (inputs.size() + pool.size() - 1) / pool.size()));
    for (List<Integer> group : groups.values()) {
      for (int start = 0; start < group.size(); start += perChunk) {
        chunks.add(group.subList(start, Math.min(group.size(), start + perChunk)));
      }
    }
    List<List<TensorRows>> calls = chunks.stream().map(chunk -> chunk.stream().map(rows::get).toList()).toList();
    List<List<TensorRows>> results = pool.runAll(calls);
    Object[] outputs = new Object[inputs.size()];
    for (int c = 0; c < chunks.size(); c++) {
      List<Integer> chunk = chunks.get(c);
      for (int k = 0; k < chunk.size(); k++) {
        outputs[chunk.get(k)] = toTensor(results.get(c).get(k));
      }
    }
    return new BatchResult(Arrays.asList(outputs), elements, elements, 0);
  }

  private boolean batchable(Object input, TensorRows tensor) {
    if (tensor.shape().length == 0) {
      return false;
    }
    if (input instanceof TabularInput) {
      return declaredShape.map(shape -> shape.isEmpty() || shape.get(0) < 0).orElse(true);
    }
    return declaredShape.map(shape -> !shape.isEmpty() && shape.get(0) < 0 && shape.size() == tensor.shape().length)
        .orElse(false);
  }

  private TensorRows toRows(Object input, int index) throws ModelRunException {
    if (input instanceof TensorInput tensor) {
      long[] shape = tensor.getShape().stream().mapToLong(Integer::longValue).toArray();
      float[] values = new float[tensor.getValues().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = tensor.getValues().get(i);
      }
      try {
        return new TensorRows(shape, values);
      } catch (IllegalArgumentException e) {
        throw new ModelRunException("Input " + index + ": " + e.getMessage(), e);
      }
    }
    if (input instanceof TabularInput tabular) {
      if (featureNames.isEmpty()) {
        throw new ModelRunException("Input " + index + " is tabular, but the deployment declares no feature_names"
            + " (limits.feature_names or feature_stats) to order its features by", null);
      }
      float[] values = new float[featureNames.size()];
      for (int f = 0; f < values.length; f++) {
        Double value = tabular.getFeatures().get(featureNames.get(f));
        if (value == null) {
          throw new ModelRunException("Input " + index + " has no value for feature " + featureNames.get(f), null);
        }
        values[f] = value.floatValue();
      }
      return new TensorRows(new long[] {1, values.length}, values);
    }
    throw new ModelRunException("A TENSOR model takes TensorInput or TabularInput, but input " + index + " is "
        + (input == null ? "null" : input.getClass().getSimpleName()), null);
  }

  private static Tensor toTensor(TensorRows rows) {
    List<Integer> shape = new ArrayList<>(rows.shape().length);
    for (long dimension : rows.shape()) {
      shape.add(Math.toIntExact(dimension));
    }
    return Tensor.newBuilder().setShape(shape).setValues(FloatLists.boxed(rows.values())).build();
  }

  @Override
  public void close() {
    pool.close();
  }
}
