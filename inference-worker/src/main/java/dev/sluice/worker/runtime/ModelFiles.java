package dev.sluice.worker.runtime;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's files on local disk, ready for the engine.
 *
 * @param directory the model directory
 * @param modelFile the model file inside it (e.g. {@code model.onnx})
 * @param tokenizer the HuggingFace {@code tokenizer.json}, when there is one
 */
record ModelFiles(Path directory, Path modelFile, Optional<Path> tokenizer) {
  ModelFiles {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** The model file's name without its extension: the prefix the engine loads. */
  String modelName() {
    String name = modelFile.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
