package dev.sluice.topology.ingress;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.topics.ModelKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

/**
 * Read access to the model registry: the global store of the GlobalKTable over
 * {@code <prefix>.models} ({@link IngressStores#MODELS}), keyed {@code model/version}. Every
 * version of a model is found with one prefix scan on {@link ModelKey#prefixOf(String)}; a
 * tombstone on the topic has removed the key, so undeployed versions are simply absent.
 *
 * <p>A processor obtains the store through {@code context.getStateStore(IngressStores.MODELS)};
 * Kafka Streams hands out a read-only facade whose values may be wrapped with their timestamp
 * (and headers), which this view unwraps.
 */
final class ModelRegistryView {
  private static final StringSerializer KEYS = new StringSerializer();

  private final ReadOnlyKeyValueStore<String, Object> store;

  ModelRegistryView(ReadOnlyKeyValueStore<String, Object> store) {
    this.store = store;
  }

  /** Every deployed version of a model, in key order; empty when none is deployed. */
  List<ModelDeployment> versionsOf(String model) {
    List<ModelDeployment> versions = new ArrayList<>();
    try (KeyValueIterator<String, Object> entries = store.prefixScan(ModelKey.prefixOf(model), KEYS)) {
      while (entries.hasNext()) {
        KeyValue<String, Object> entry = entries.next();
        ModelDeployment deployment = unwrap(entry.value);
        if (deployment != null) {
          versions.add(deployment);
        }
      }
    }
    return versions;
  }

  private static ModelDeployment unwrap(Object value) {
    Object inner = value;
    if (value instanceof ValueAndTimestamp<?> timestamped) {
      inner = timestamped.value();
    } else if (value instanceof ValueTimestampHeaders<?> withHeaders) {
      inner = withHeaders.value();
    }
    if (inner == null || inner instanceof ModelDeployment) {
      return (ModelDeployment) inner;
    }
    throw new IllegalStateException("Store " + IngressStores.MODELS + " holds a " + inner.getClass().getName() + ", expected ModelDeployment");
  }
}
