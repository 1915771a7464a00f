package dev.sluice.worker.runtime;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelLoadException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code sluice models deploy} checks before it writes a deployment: that its artifact is
 * there as a worker would look for it, without loading it (see {@link ModelArtifacts#check}).
 * A local path is checked on the machine that runs the check, which is where a worker runs only
 * when they share a file system.
 */
public final class ArtifactCheck {
  private ArtifactCheck() {}

  /**
   * Checks the deployment's artifact.
   *
   * @param timeout how long an http(s) artifact's server may take to answer
   * @throws ModelLoadException saying what is missing, as a worker's load would
   */
  public static void check(ModelDeployment deployment, Duration timeout) throws ModelLoadException {
    Path unused = Path.of(System.getProperty("java.io.tmpdir"));
    new ModelArtifacts(unused, new HttpArtifactFetcher(unused, timeout, 0)).check(deployment.getArtifactUri(), ArtifactLayout.of(deployment));
  }
}
