package dev.sluice.stack;

import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The model that ships inside the jar: all-MiniLM-L6-v2 as two versions of one model, the fp32
 * ONNX graph ({@value #FP32}) taking 90 % of the traffic and its quantized variant ({@value
 * #QUANTIZED}) 10 %, an A/B split out of the box.
 */
public final class BundledModel {
  /** The model's name. */
  public static final String NAME = "minilm";
  /** The fp32 version. */
  public static final String FP32 = "v1";
  /** The quantized version. */
  public static final String QUANTIZED = "v2";

  private BundledModel() {}

  /** Both versions' deployment records, deployed at {@code now}. */
  public static List<ModelDeployment> deployments(Instant now) {
    return List.of(
        deployment(FP32, "classpath:models/all-minilm-l6-v2", 90, "all-MiniLM-L6-v2, ONNX fp32 (bundled)", now),
        deployment(QUANTIZED, "classpath:models/all-minilm-l6-v2-q", 10, "all-MiniLM-L6-v2, ONNX int8-quantized (bundled)", now));
  }

  private static ModelDeployment deployment(String version, String artifact, double weight, String description, Instant now) {
    return ModelDeployment.newBuilder().setModel(NAME).setVersion(version).setArtifactUri(artifact).setEngine(Engine.ONNX_RUNTIME)
        .setTask(Task.TEXT_EMBEDDING).setTrafficWeight(weight).setShadow(false).setLimits(null).setFeatureStats(List.of())
        .setLabels(List.of()).setProperties(Map.of()).setDeployedAt(now).setDescription(description).build();
  }
}
