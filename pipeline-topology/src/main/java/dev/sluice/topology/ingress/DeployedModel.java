package dev.sluice.topology.ingress;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ReasonCode;
import dev.sluice.preprocessing.EffectiveLimits;
import dev.sluice.preprocessing.IngressDefaults;
import dev.sluice.preprocessing.InvalidDeploymentException;
import dev.sluice.preprocessing.ModelRoutes;
import dev.sluice.preprocessing.Outcome;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the request path knows of one model, derived from the raw registry records of its
 * deployed versions and kept by {@link ModelRegistryView} for as long as the model's value in
 * the registry store stays the same: the decoded deployments, their {@link ModelRoutes}, and
 * each version's {@link EffectiveLimits} (worked out on first use). Confined to one processor,
 * so one stream thread; not thread-safe.
 */
final class DeployedModel {
  private final byte[] source;
  private final List<byte[]> raw;
  private final List<ModelDeployment> deployments;
  private final ModelRoutes routes;
  private final Map<ModelDeployment, Outcome<EffectiveLimits>> limits = new IdentityHashMap<>();

  /**
   * @param source the model's value in the registry store ({@link ModelVersions}), null when none
   * @param raw the registry values of the model's versions it holds, in key order
   * @param deployments the same, decoded, in the same order
   * @param model the model's name
   */
  DeployedModel(byte[] source, List<byte[]> raw, List<ModelDeployment> deployments, String model) {
    this.source = source;
    this.raw = List.copyOf(raw);
    this.deployments = List.copyOf(deployments);
    this.routes = ModelRoutes.of(deployments, model);
  }

  /** The routes over the deployed versions. */
  ModelRoutes routes() {
    return routes;
  }

  /**
   * The limits of a version, from its deployment and the ingress defaults, or OTHER when the
   * deployment's limits or statistics are unusable.
   */
  Outcome<EffectiveLimits> limitsOf(ModelDeployment version, IngressDefaults defaults) {
    return limits.computeIfAbsent(version, deployment -> {
      try {
        return Outcome.accepted(EffectiveLimits.of(deployment, defaults));
      } catch (InvalidDeploymentException e) {
        return Outcome.rejected(ReasonCode.OTHER, e.getMessage());
      }
    });
  }

  /** Whether this was built from the given store value: the same array, or equal bytes. */
  boolean isFrom(byte[] storeValue) {
    return source == storeValue || Arrays.equals(source, storeValue);
  }

  /** The decoded deployment of a registry value this model already had, or null. */
  ModelDeployment decodedOf(byte[] value) {
    for (int i = 0; i < raw.size(); i++) {
      if (raw.get(i) == value || Arrays.equals(raw.get(i), value)) {
        return deployments.get(i);
      }
    }
    return null;
  }
}
