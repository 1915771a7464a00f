package dev.sluice.preprocessing;

import dev.sluice.avro.ModelDeployment;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

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
 *
 * <p>Callers that route many requests over the same deployments build a {@link ModelRoutes}
 * once instead: this method builds one per call.
 */
public final class VersionRouter {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  static final Comparator<ModelDeployment> BY_VERSION = Comparator.comparing(ModelDeployment::getVersion);

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
    return ModelRoutes.of(deployedVersionsOfModel, model).route(explicitVersionOrNull, routingKey);
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
