package dev.sluice.topology.ingress;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.topics.ModelKey;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the model registry's global store ({@link IngressStores#MODELS}) up to date from
 * {@code <prefix>.models}, on the global stream thread and on restore. The topic is keyed
 * {@code model/version}; the store is keyed by model, each value holding all its deployed
 * versions' raw bytes ({@link ModelVersions}), so the request path reads a model with one lookup
 * instead of a scan. A tombstone removes the version (and the model with its last version). A
 * deployment is checked by decoding it; bad data (a {@link SerializationException} that is not a
 * registry outage), a record without a key or with a key that is not {@code model/version} is
 * skipped with a WARN naming its topic, as {@link DeserializationFailureHandler} skips bad
 * records, and the version keeps its previous deployment. A registry outage propagates.
 */
final class ModelRegistryWriter implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryWriter.class);

  private final String topic;
  private final Deserializer<ModelDeployment> decoder;
  private KeyValueStore<String, byte[]> store;

  ModelRegistryWriter(String topic, Deserializer<ModelDeployment> decoder) {
    this.topic = topic;
    this.decoder = decoder;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(IngressStores.MODELS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ModelKey key;
    try {
      key = ModelKey.decode(record.key());
    } catch (IllegalArgumentException e) {
      LOG.warn("Skipping a record on {}: {}", topic, e.getMessage());
      return;
    }
    if (record.value() != null && !decodes(record)) {
      return;
    }
    TreeMap<String, byte[]> versions = ModelVersions.decode(store.get(key.model()));
    if (record.value() == null) {
      versions.remove(record.key());
    } else {
      versions.put(record.key(), record.value());
    }
    if (versions.isEmpty()) {
      store.delete(key.model());
    } else {
      store.put(key.model(), ModelVersions.encode(versions));
    }
  }

  private boolean decodes(Record<String, byte[]> record) {
    try {
      decoder.deserialize(topic, record.value());
      return true;
    } catch (SerializationException e) {
      if (FailureClassifier.classify(e) == FailureClassifier.Kind.TRANSIENT) {
        throw e;
      }
      LOG.warn("Skipping undecodable deployment {} on {}: {}", record.key(), topic, e.getMessage());
      return false;
    }
  }
}
