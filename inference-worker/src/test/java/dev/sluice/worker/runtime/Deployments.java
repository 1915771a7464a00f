package dev.sluice.worker.runtime;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import java.nio.file.Path;
import java.time.Instant;

/** Model deployments and model locations the runtime tests share. */
final class Deployments {
  /** The bundled fp32 model, as packaged in the worker jar. */
  static final String MINILM = "classpath:models/all-minilm-l6-v2";
  /** The bundled quantized model. */
  static final String MINILM_QUANTIZED = "classpath:models/all-minilm-l6-v2-q";
  /** The fp32 model directory the build unpacks (surefire runs in the module directory). */
  static final Path MINILM_DIR = Path.of("target", "classes", "models", "all-minilm-l6-v2").toAbsolutePath();

  private Deployments() {}

  static ModelDeployment.Builder builder(String artifactUri, Task task) {
    return ModelDeployment.newBuilder()
        .setModel("minilm")
        .setVersion("v1")
        .setArtifactUri(artifactUri)
        .setEngine(Engine.ONNX_RUNTIME)
        .setTask(task)
        .setDeployedAt(Instant.parse("2026-11-26T00:00:00Z"));
  }

  static ModelDeployment embedding(String artifactUri) {
    return builder(artifactUri, Task.TEXT_EMBEDDING).build();
  }
}
