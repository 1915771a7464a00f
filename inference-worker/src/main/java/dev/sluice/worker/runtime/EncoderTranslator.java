package dev.sluice.worker.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import java.util.Set;

/**
 * A transformer encoder's translator with a real batch path: a batch of tokenized texts becomes
 * ONE padded tensor per model input ({@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}, as the model names them), padded on the right to the longest row; the
 * token embeddings that come back are mean-pooled under the attention mask and L2-normalized, in
 * Java (no second engine needed). Padding uses id 0: padded positions are masked out of attention
 * and pooling, so their id never changes a result.
 */
final class EncoderTranslator implements Translator<TokenizedText, float[]> {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

  private static final String LENGTHS = "lengths";
  private static final String PADDED_LENGTH = "paddedLength";

  private final List<String> inputNames;

  /**
   * @param inputNames the model's inputs in the order it declares them; each one of
   *     {@link #KNOWN_INPUTS}
   */
  EncoderTranslator(List<String> inputNames) {
    for (String name : inputNames) {
      if (!KNOWN_INPUTS.contains(name)) {
        throw new IllegalArgumentException("unknown text model input " + name + "; expected some of " + KNOWN_INPUTS);
      }
    }
    this.inputNames = List.copyOf(inputNames);
  }

  @Override
  public NDList processInput(TranslatorContext ctx, TokenizedText input) {
    return batchProcessInput(ctx, List.of(input));
  }

  @Override
  public float[] processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
    return batchProcessOutput(ctx, list).get(0);
  }

  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<TokenizedText> inputs) {
    int rows = inputs.size();
    int length = 1;
    for (TokenizedText input : inputs) {
      length = Math.max(length, input.length());
    }
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    int[] lengths = new int[rows];
    for (int row = 0; row < rows; row++) {
      TokenizedText input = inputs.get(row);
      int offset = row * length;
      System.arraycopy(input.ids(), 0, ids, offset, input.length());
      System.arraycopy(input.typeIds(), 0, types, offset, input.length());
      java.util.Arrays.fill(mask, offset, offset + input.length(), 1L);
      lengths[row] = input.length();
    }
    ctx.setAttachment(LENGTHS, lengths);
    ctx.setAttachment(PADDED_LENGTH, length);
    NDManager manager = ctx.getNDManager();
    Shape shape = new Shape(rows, length);
    NDList list = new NDList(inputNames.size());
    for (String name : inputNames) {
      long[] data = name.equals(INPUT_IDS) ? ids : name.equals(ATTENTION_MASK) ? mask : types;
      NDArray array = manager.create(data, shape);
      array.setName(name);
      list.add(array);
    }
    return list;
  }

  @Override
  public List<float[]> batchProcessOutput(TranslatorContext ctx, NDList list) throws TranslateException {
    int[] lengths = (int[]) ctx.getAttachment(LENGTHS);
    int length = (Integer) ctx.getAttachment(PADDED_LENGTH);
    NDArray hidden = tokenEmbeddings(list);
    Shape shape = hidden.getShape();
    if (shape.get(0) != lengths.length || shape.get(1) != length) {
      throw new TranslateException("The model returned token embeddings of shape " + shape + " for a batch of "
          + lengths.length + " x " + length + " tokens");
    }
    if (hidden.getDataType() != DataType.FLOAT32) {
      throw new TranslateException("The model's token embeddings are " + hidden.getDataType() + "; float32 is supported");
    }
    return List.of(MeanPooling.poolAndNormalize(hidden.toFloatArray(), lengths, length, (int) shape.get(2)));
  }

  /** Returns a batchifier only so that DJL takes the batch path; batching is done above. */
  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  private static NDArray tokenEmbeddings(NDList outputs) throws TranslateException {
    NDArray named = outputs.get("last_hidden_state");
    if (named != null) {
      return named;
    }
    for (NDArray output : outputs) {
      if (output.getShape().dimension() == 3) {
        return output;
      }
    }
    throw new TranslateException("The model has no token-embedding output of rank 3 (outputs: "
        + outputs.getShapes().length + ")");
  }
}
