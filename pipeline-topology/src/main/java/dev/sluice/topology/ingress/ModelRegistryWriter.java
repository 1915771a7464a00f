package dev.sluice.topology.ingress;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.models.ModelRegistryRecords;
import dev.sluice.platform.models.ModelRegistryUpdate;
import dev.sluice.platform.models.ModelRegistryUpdate.Deployed;
import dev.sluice.platform.models.ModelRegistryUpdate.Skipped;
import dev.sluice.platform.models.ModelRegistryUpdate.Undeployed;
import dev.sluice.schemas.topics.ModelKey;
import java.util.TreeMap;
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
 * instead of a scan. A tombstone removes the version (and the model with its last version). Each
 * record is read as {@link ModelRegistryRecords} reads it, which checks a deployment by decoding
 * it: bad data (a value that does not decode and is not a registry outage), a record without a key
 * or with a key that is not {@code model/version} is skipped with a WARN naming its topic, as
 * {@link DeserializationFailureHandler} skips bad records, and the version keeps its previous
 * deployment. A registry outage propagates.
 */
final class ModelRegistryWriter implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryWriter.class);

  private final ModelRegistryRecords records;
  private KeyValueStore<String, byte[]> store;

  ModelRegistryWriter(String topic, Deserializer<ModelDeployment> decoder) {
    this.records = new ModelRegistryRecords(topic, decoder);
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(IngressStores.MODELS);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ModelRegistryUpdate update = records.decode(record.key(), record.value());
    if (update instanceof Deployed deployed) {
      store(deployed.key(), record.value());
    } else if (update instanceof Undeployed undeployed) {
      store(undeployed.key(), null);
    } else if (update instanceof Skipped skip) {
      if (skip.reason() == Skipped.Reason.UNDECODABLE) {
        LOG.warn("Skipping undecodable deployment {} on {}: {}", skip.key(), records.topic(), skip.detail());
      } else {
        LOG.warn("Skipping a record on {}: {}", records.topic(), skip.detail());
      }
    }
  }

  /** Puts a version's raw deployment into its model's value, or removes the version for null. */
  private void store(ModelKey version, byte[] deployment) {
    TreeMap<String, byte[]> versions = ModelVersions.decode(store.get(version.model()));
    if (deployment == null) {
      versions.remove(version.encode());
    } else {
      versions.put(version.encode(), deployment);
    }
    if (versions.isEmpty()) {
      store.delete(version.model());
    } else {
      store.put(version.model(), ModelVersions.encode(versions));
    }
  }
}
