package dev.sluice.worker.runtime;

import dev.sluice.avro.Embedding;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.List;

/** TEXT_EMBEDDING: one L2-normalized {@link Embedding} per {@code TextInput}. */
final class TextEmbeddingHandler implements TaskHandler {
  private final TextEncoder encoder;

  TextEmbeddingHandler(TextEncoder encoder) {
    this.encoder = encoder;
  }

  @Override
  public BatchResult run(List<Object> inputs) throws ModelRunException {
    TextEncoder.EncodedTexts encoded = encoder.encode(TextInputs.texts(inputs, "TEXT_EMBEDDING"));
    List<Object> outputs = new ArrayList<>(inputs.size());
    for (float[] vector : encoded.vectors()) {
      outputs.add(Embedding.newBuilder().setVector(FloatLists.boxed(vector)).build());
    }
    return new BatchResult(outputs, encoded.realTokens(), encoded.paddedTokens(), 0, encoded.tokensPerText());
  }

  @Override
  public void close() {
    encoder.close();
  }
}
