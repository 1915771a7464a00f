package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelRunner;

/** What the fleet can do for requests of one model version right now. */
public sealed interface VersionLookup {

  /**
   * The version is loaded: run its requests on this runner (on the worker loop's thread only).
   *
   * @param runner the loaded model
   * @param deployment the deployment it was loaded from
   */
  record Ready(ModelRunner runner, ModelDeployment deployment) implements VersionLookup {}

  /**
   * The version may soon be servable: it is loading, being swapped in, or the registry is being
   * read to its end to learn whether it exists. Hold its requests.
   *
   * @param reason what is awaited
   */
  record Pending(String reason) implements VersionLookup {}

  /**
   * The version cannot be served: not deployed (after reading the registry to its end), removed,
   * or failed to load. Its requests get ERROR results with this reason.
   *
   * @param reason why, for the ERROR result
   */
  record Missing(String reason) implements VersionLookup {}
}
