package dev.sluice.worker.runtime;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Texts in, unit vectors out: tokenizes a batch once (truncated to the maximum sequence length,
 * unpadded), cuts it into length-sorted model calls ({@link ModelCallPlanner}), runs those on the
 * predictors in parallel, each as one padded tensor, and puts the vectors back in input order.
 */
final class TextEncoder implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final PredictorPool<TokenizedText, float[]> pool;
  private final ModelCallPlanner planner;

  TextEncoder(HuggingFaceTokenizer tokenizer, PredictorPool<TokenizedText, float[]> pool, ModelCallPlanner planner) {
    this.tokenizer = tokenizer;
    this.pool = pool;
    this.planner = planner;
  }

  /**
   * Encodes the texts.
   *
   * @throws ModelRunException when tokenization or the model fails
   */
  EncodedTexts encode(List<String> texts) throws ModelRunException {
    if (texts.isEmpty()) {
      return new EncodedTexts(List.of(), 0, 0, new int[0]);
    }
    List<TokenizedText> tokenized = tokenize(texts);
    int[] lengths = tokenized.stream().mapToInt(TokenizedText::length).toArray();
    List<ModelCallPlanner.ModelCall> plan = planner.plan(lengths);
    List<List<TokenizedText>> calls = new ArrayList<>(plan.size());
    long padded = 0;
    for (ModelCallPlanner.ModelCall call : plan) {
      List<TokenizedText> rows = new ArrayList<>(call.indexes().length);
      for (int index : call.indexes()) {
        rows.add(tokenized.get(index));
      }
      calls.add(rows);
      padded += call.paddedTokens();
    }
    List<List<float[]>> outputs = pool.runAll(calls);
    float[][] vectors = new float[texts.size()][];
    for (int s = 0; s < plan.size(); s++) {
      int[] indexes = plan.get(s).indexes();
      List<float[]> output = outputs.get(s);
      if (output.size() != indexes.length) {
        throw new ModelRunException("The model returned " + output.size() + " vectors for " + indexes.length + " texts", null);
      }
      for (int i = 0; i < indexes.length; i++) {
        vectors[indexes[i]] = output.get(i);
      }
    }
    long real = 0;
    for (int length : lengths) {
      real += length;
    }
    return new EncodedTexts(List.of(vectors), real, padded, lengths);
  }

  private List<TokenizedText> tokenize(List<String> texts) throws ModelRunException {
    Encoding[] encodings;
    try {
      encodings = tokenizer.batchEncode(texts);
    } catch (RuntimeException e) {
      throw new ModelRunException("Tokenization failed: " + e.getMessage(), e);
    }
    List<TokenizedText> tokenized = new ArrayList<>(encodings.length);
    for (Encoding encoding : encodings) {
      tokenized.add(new TokenizedText(encoding.getIds(), encoding.getTypeIds()));
    }
    return tokenized;
  }

  @Override
  public void close() {
    pool.close();
    tokenizer.close();
  }

  /**
   * Vectors of a batch with its token accounting.
   *
   * @param vectors one unit vector per text, in input order
   * @param realTokens tokens the texts had (special tokens included)
   * @param paddedTokens tokens the model computed: rows x padded length, summed over model calls
   * @param lengths tokens each text had, in input order
   */
  record EncodedTexts(List<float[]> vectors, long realTokens, long paddedTokens, int[] lengths) {

    /** The tokens each text had, in input order. */
    List<Integer> tokensPerText() {
      return Arrays.stream(lengths).boxed().toList();
    }
  }
}
