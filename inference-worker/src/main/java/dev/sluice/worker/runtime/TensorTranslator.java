package dev.sluice.worker.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A single-input tensor model's translator with a real batch path: the inputs of a batch share
 * every dimension but the first and are concatenated along it into ONE float32 tensor; the model's
 * first output is split back along its first dimension, row counts as they went in. A batch of
 * one gets the whole output, whatever its shape.
 */
final class TensorTranslator implements Translator<TensorRows, TensorRows> {
  private static final String ROWS = "rows";

  private final Optional<String> inputName;

  /** @param inputName the model's input name, when the engine reports one */
  TensorTranslator(Optional<String> inputName) {
    this.inputName = inputName;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, TensorRows input) throws TranslateException {
    return batchProcessInput(ctx, List.of(input));
  }

  @Override
  public TensorRows processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
    return batchProcessOutput(ctx, list).get(0);
  }

  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<TensorRows> inputs) throws TranslateException {
    TensorRows first = inputs.get(0);
    long[] shape = first.shape().clone();
    long[] rows = new long[inputs.size()];
    int total = 0;
    for (int i = 0; i < inputs.size(); i++) {
      TensorRows input = inputs.get(i);
      if (inputs.size() > 1 && (input.shape().length == 0 || !Arrays.equals(input.rowShape(), first.rowShape()))) {
        throw new TranslateException("Tensors batched together must share all dimensions but the first: "
            + Arrays.toString(first.shape()) + " and " + Arrays.toString(input.shape()));
      }
      rows[i] = input.shape().length == 0 ? 1 : input.rows();
      total += input.values().length;
    }
    float[] values = new float[total];
    int offset = 0;
    for (TensorRows input : inputs) {
      System.arraycopy(input.values(), 0, values, offset, input.values().length);
      offset += input.values().length;
    }
    if (inputs.size() > 1) {
      shape[0] = Arrays.stream(rows).sum();
    }
    ctx.setAttachment(ROWS, rows);
    NDArray array = ctx.getNDManager().create(values, new Shape(shape));
    inputName.ifPresent(array::setName);
    return new NDList(array);
  }

  @Override
  public List<TensorRows> batchProcessOutput(TranslatorContext ctx, NDList list) throws TranslateException {
    long[] rows = (long[]) ctx.getAttachment(ROWS);
    NDArray output = list.get(0);
    long[] shape = output.getShape().getShape();
    float[] values = floats(output);
    if (rows.length == 1) {
      return List.of(new TensorRows(shape, values));
    }
    long total = Arrays.stream(rows).sum();
    if (shape.length == 0 || shape[0] != total) {
      throw new TranslateException("The model's first output has shape " + Arrays.toString(shape) + ", not "
          + total + " rows as batched in; declare a fixed first dimension in tensor_shape to run inputs one by one");
    }
    int perRow = (int) (values.length / total);
    List<TensorRows> outputs = new ArrayList<>(rows.length);
    int offset = 0;
    for (long count : rows) {
      long[] rowShape = shape.clone();
      rowShape[0] = count;
      int size = (int) count * perRow;
      outputs.add(new TensorRows(rowShape, Arrays.copyOfRange(values, offset, offset + size)));
      offset += size;
    }
    return outputs;
  }

  /** Returns a batchifier only so that DJL takes the batch path; batching is done above. */
  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  private static float[] floats(NDArray array) throws TranslateException {
    DataType type = array.getDataType();
    if (type == DataType.FLOAT32) {
      return array.toFloatArray();
    }
    float[] values = new float[Math.toIntExact(array.size())];
    if (type == DataType.FLOAT64) {
      double[] source = array.toDoubleArray();
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) source[i];
      }
    } else if (type == DataType.INT64) {
      long[] source = array.toLongArray();
      for (int i = 0; i < values.length; i++) {
        values[i] = source[i];
      }
    } else if (type == DataType.INT32) {
      int[] source = array.toIntArray();
      for (int i = 0; i < values.length; i++) {
        values[i] = source[i];
      }
    } else if (type == DataType.BOOLEAN) {
      boolean[] source = array.toBooleanArray();
      for (int i = 0; i < values.length; i++) {
        values[i] = source[i] ? 1f : 0f;
      }
    } else {
      throw new TranslateException("The model's first output is " + type + "; float, double, int and bool are supported");
    }
    return values;
  }
}
