package dev.sluice.preprocessing;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the model version a request runs on, and the shadow versions that get a copy.
 *
 * <p>Shadow versions are the deployments flagged shadow; active versions are the others with a
 * finite traffic weight above 0. A request naming a version gets that version whenever it is
 * deployed, whatever its weight, even a shadow version (which is then served and gets no shadow
 * copy of its own). A request naming no version gets an active version chosen by weight, and the
 * choice is a pure function of the routing key: the key's UTF-8 bytes are hashed with 64-bit
 * FNV-1a followed by the MurmurHash3 finalizer, the top 53 bits map to a point in [0, 1), and the
 * point falls into one of the versions' shares, laid out by version name. So a key sticks to its
 * version for as long as the weights stay, over restarts and on every instance, and across many
 * keys the traffic splits by the weights. The order of the deployment list does not matter.
 */
public final class VersionRouter {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final Comparator<ModelDeployment> BY_VERSION = Comparator.comparing(ModelDeployment::getVersion);

  /** Creates a router; it holds no state. */
  public VersionRouter() {}

  /**
   * Routes one request.
   *
   * @param deployedVersionsOfModel the deployed versions of the model, in any order (deployments
   *     of other models in the list are ignored)
   * @param model the model the request names
   * @param explicitVersionOrNull the version the request names, or null (or blank) for none
   * @param routingKey what sticks a request to its version, normally the record key (null is
   *     hashed as the empty string)
   * @return the route, or UNKNOWN_MODEL when the version or model is not deployed or the model
   *     has no active version
   */
  public Outcome<Route> route(
      List<ModelDeployment> deployedVersionsOfModel, String model, String explicitVersionOrNull, String routingKey) {
    Objects.requireNonNull(deployedVersionsOfModel, "deployedVersionsOfModel");
    List<ModelDeployment> versions = deployedVersionsOfModel.stream()
        .filter(d -> d != null && Objects.equals(d.getModel(), model) && d.getVersion() != null)
        .sorted(BY_VERSION)
        .toList();
    if (explicitVersionOrNull != null && !explicitVersionOrNull.isBlank()) {
      Optional<ModelDeployment> named = versions.stream()
          .filter(d -> d.getVersion().equals(explicitVersionOrNull))
          .findFirst();
      if (named.isEmpty()) {
        return Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "model " + model + " has no version "
            + explicitVersionOrNull + "; deployed: " + versions.stream().map(ModelDeployment::getVersion).toList());
      }
      return Outcome.accepted(new Route(named.get(), shadowsExcept(versions, named.get())));
    }
    if (versions.isEmpty()) {
      return Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "no model named " + model + " is deployed");
    }
    List<ModelDeployment> active = versions.stream().filter(VersionRouter::isActive).toList();
    if (active.isEmpty()) {
      return Outcome.rejected(ReasonCode.UNKNOWN_MODEL, "model " + model
          + " has no version with traffic weight > 0; deployed: " + versions.stream().map(VersionRouter::describe).toList());
    }
    ModelDeployment primary = pick(active, unitInterval(routingKey == null ? "" : routingKey));
    return Outcome.accepted(new Route(primary, shadowsExcept(versions, primary)));
  }

  private static boolean isActive(ModelDeployment d) {
    return !d.getShadow() && Double.isFinite(d.getTrafficWeight()) && d.getTrafficWeight() > 0;
  }

  private static String describe(ModelDeployment d) {
    return d.getVersion() + (d.getShadow() ? " (shadow)" : " (weight " + d.getTrafficWeight() + ")");
  }

  private static List<ModelDeployment> shadowsExcept(List<ModelDeployment> versions, ModelDeployment primary) {
    return versions.stream().filter(d -> d.getShadow() && d != primary).toList();
  }

  private static ModelDeployment pick(List<ModelDeployment> active, double point) {
    double total = active.stream().mapToDouble(ModelDeployment::getTrafficWeight).sum();
    double cumulative = 0;
    for (ModelDeployment d : active) {
      cumulative += d.getTrafficWeight() / total;
      if (point < cumulative) {
        return d;
      }
    }
    return active.get(active.size() - 1);
  }

  /**
   * Maps a routing key to a point in [0, 1) that is the same on every JVM and every run.
   *
   * @param routingKey the key
   * @return the key's point
   */
  static double unitInterval(String routingKey) {
    long hash = FNV_OFFSET;
    for (byte b : routingKey.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fa1a85ec53L;
    hash ^= hash >>> 33;
    return (hash >>> 11) * 0x1.0p-53;
  }
}
