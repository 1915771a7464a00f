package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.topics.ModelKey;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The model registry as read from its topic up to the end offsets: the latest deployment of
 * every {@code model/version} not tombstoned since, ordered by model then version, and what had
 * to be skipped.
 *
 * @param deployments the deployed versions by key
 * @param skipped one line per record that could not be read (bad key, undecodable value)
 */
public record ModelRegistrySnapshot(SortedMap<ModelKey, ModelDeployment> deployments, List<String> skipped) {
  /** Orders keys by model, then version. */
  static final Comparator<ModelKey> BY_MODEL_AND_VERSION = Comparator.comparing(ModelKey::model).thenComparing(ModelKey::version);

  public ModelRegistrySnapshot {
    TreeMap<ModelKey, ModelDeployment> copy = new TreeMap<>(BY_MODEL_AND_VERSION);
    copy.putAll(deployments);
    deployments = Collections.unmodifiableSortedMap(copy);
    skipped = List.copyOf(skipped);
  }

  /** Every deployed version, by model then version. */
  public List<ModelDeployment> all() {
    return List.copyOf(deployments.values());
  }

  /** The deployed versions of one model, by version. */
  public List<ModelDeployment> versionsOf(String model) {
    return deployments.values().stream().filter(d -> d.getModel().equals(model)).toList();
  }
}
