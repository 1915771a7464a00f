package dev.sluice.worker.runtime;

/**
 * What a model directory must hold for one engine and task.
 *
 * @param modelFileName the model file's conventional name ({@code model.onnx}, {@code model.pt})
 * @param needsTokenizer whether a {@code tokenizer.json} is required (text tasks)
 */
record ArtifactLayout(String modelFileName, boolean needsTokenizer) {
  static final String TOKENIZER_FILE = "tokenizer.json";

  /** The model file's extension, dot included. */
  String modelExtension() {
    return modelFileName.substring(modelFileName.lastIndexOf('.'));
  }
}
