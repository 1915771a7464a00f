package dev.sluice.worker.runtime;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;

/**
 * What a model directory must hold for one engine and task.
 *
 * @param modelFileName the model file's conventional name ({@code model.onnx}, {@code model.pt})
 * @param needsTokenizer whether a {@code tokenizer.json} is required (text tasks)
 */
record ArtifactLayout(String modelFileName, boolean needsTokenizer) {
  static final String TOKENIZER_FILE = "tokenizer.json";

  /** What a deployment's artifact must hold: its engine's model file, and a tokenizer for every task but TENSOR. */
  static ArtifactLayout of(ModelDeployment deployment) {
    boolean onnx = EngineBootstrap.engineName(deployment.getEngine()).equals(EngineBootstrap.ONNX_RUNTIME);
    return new ArtifactLayout(onnx ? "model.onnx" : "model.pt", deployment.getTask() != Task.TENSOR);
  }

  /** The model file's extension, dot included. */
  String modelExtension() {
    return modelFileName.substring(modelFileName.lastIndexOf('.'));
  }
}
