package dev.sluice.topology.ingress;

import dev.sluice.avro.ModelDeployment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The request path's read access to the model registry: the global store over
 * {@code <prefix>.models} ({@link IngressStores#MODELS}), keyed by model, each value holding
 * the raw registry records of the model's deployed versions ({@link ModelVersions}, kept by
 * {@link ModelRegistryWriter}). An undeployed model is absent.
 *
 * <p>Each request costs one lookup. The value found is compared with the last one seen for the
 * model (the same array, or equal bytes); only when it differs are the changed versions decoded
 * and the model's {@link DeployedModel} (routes, limits) rebuilt. So a version is decoded once per
 * processor after each change, not once per request. One view per processor, so per stream
 * thread; not thread-safe.
 */
final class ModelRegistryView {
  private final ReadOnlyKeyValueStore<String, byte[]> store;
  private final Deserializer<ModelDeployment> decoder;
  private final String topic;
  private final Map<String, DeployedModel> known = new HashMap<>();

  /**
   * @param store the registry's global store
   * @param decoder decodes a deployment's bytes (the store's writer has already checked they
   *     decode)
   * @param topic the registry topic, for the decoder
   */
  ModelRegistryView(ReadOnlyKeyValueStore<String, byte[]> store, Deserializer<ModelDeployment> decoder, String topic) {
    this.store = store;
    this.decoder = decoder;
    this.topic = topic;
  }

  /** The model as deployed now; with no routes at all when no version of it is deployed. */
  DeployedModel modelOf(String model) {
    byte[] versions = store.get(model);
    DeployedModel previous = known.get(model);
    if (previous != null && previous.isFrom(versions)) {
      return previous;
    }
    List<byte[]> raw = new ArrayList<>(ModelVersions.decode(versions).values());
    List<ModelDeployment> deployments = new ArrayList<>(raw.size());
    for (byte[] value : raw) {
      ModelDeployment decoded = previous == null ? null : previous.decodedOf(value);
      deployments.add(decoded != null ? decoded : decoder.deserialize(topic, value));
    }
    DeployedModel current = new DeployedModel(versions, raw, deployments, model);
    if (versions == null) {
      known.remove(model);
    } else {
      known.put(model, current);
    }
    return current;
  }
}
