package dev.sluice.worker.model;

import dev.sluice.avro.ModelDeployment;

/** Turns a model-registry entry into a running model. */
public interface ModelLoader {

  /**
   * Loads the artifact a deployment names, on the configured device.
   *
   * @throws ModelLoadException with a message a user can act on (missing file, unknown engine,
   *     unsupported task, bad artifact)
   */
  ModelRunner load(ModelDeployment deployment) throws ModelLoadException;
}
