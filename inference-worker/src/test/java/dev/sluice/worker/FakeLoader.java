package dev.sluice.worker;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A loader for the loop's tests: a {@link FakeRunner} per deployment, whose marker is the
 * number of loads so far (so a reload is told apart from the first load); artifacts whose URI
 * contains "broken" fail to load.
 */
public final class FakeLoader implements ModelLoader {
  private final List<FakeRunner> loaded = Collections.synchronizedList(new ArrayList<>());

  @Override
  public ModelRunner load(ModelDeployment deployment) throws ModelLoadException {
    if (deployment.getArtifactUri().contains("broken")) {
      throw new ModelLoadException("no model file at " + deployment.getArtifactUri(), null);
    }
    FakeRunner runner = new FakeRunner(deployment.getModel(), deployment.getVersion(), loaded.size() + 1);
    loaded.add(runner);
    return runner;
  }

  /** Every runner loaded, in load order. */
  public List<FakeRunner> loaded() {
    return List.copyOf(loaded);
  }

  public FakeRunner last() {
    return loaded.get(loaded.size() - 1);
  }
}
