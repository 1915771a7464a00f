package dev.sluice.worker.model;

import dev.sluice.avro.Task;
import java.time.Duration;

/**
 * What a runner has loaded.
 *
 * @param model model name
 * @param version model version
 * @param task what the model does
 * @param engine the DJL engine name (e.g. OnnxRuntime)
 * @param device where it runs, e.g. {@code cpu} or {@code gpu:0}
 * @param predictors predictors (device threads) the runner spreads a batch over
 * @param loadTime how long loading took
 */
public record ModelInfo(String model, String version, Task task, String engine, String device, int predictors, Duration loadTime) {}
