package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.TransientFailures;
import dev.sluice.platform.models.ModelRegistryUpdate.Deployed;
import dev.sluice.platform.models.ModelRegistryUpdate.Ignored;
import dev.sluice.platform.models.ModelRegistryUpdate.Skipped;
import dev.sluice.platform.models.ModelRegistryUpdate.Undeployed;
import dev.sluice.schemas.topics.ModelKey;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How a record of the compacted model registry topic ({@code <prefix>.models}) is read, and how
 * a deployment is written to it: ModelDeployment values keyed {@code model/version}
 * ({@link ModelKey}), a tombstone undeploying a version. The one rule for every reader of the
 * topic (the commands' one-shot read, the workers' feed, the ingress's global store), however
 * each reads it:
 *
 * <ul>
 *   <li>a record without a key, or with a key that is not {@code model/version}, is
 *       {@link Skipped} ({@link Skipped.Reason#NO_KEY}, {@link Skipped.Reason#BAD_KEY});
 *   <li>a tombstone is {@link Undeployed};
 *   <li>a value that decodes is {@link Deployed};
 *   <li>a value that does not (a {@link SerializationException}: bad bytes, an unknown schema id)
 *       is {@link Skipped} ({@link Skipped.Reason#UNDECODABLE}), unless a registry outage or
 *       another transient failure ({@link TransientFailures}) is behind it: that propagates, as
 *       does any failure that is no SerializationException (a registry refusing the reader).
 * </ul>
 *
 * <p>Thread-safe when the deserializer is.
 */
public final class ModelRegistryRecords {
  private final String topic;
  private final Deserializer<ModelDeployment> decoder;

  /**
   * @param topic the registry topic
   * @param decoder reads ModelDeployment values
   */
  public ModelRegistryRecords(String topic, Deserializer<ModelDeployment> decoder) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /** The registry topic. */
  public String topic() {
    return topic;
  }

  /**
   * Reads one record of the topic.
   *
   * @param key the record's key, or null
   * @param value the record's value; null for a tombstone
   * @return what the record says
   * @throws RuntimeException when decoding fails for a reason that is not bad data
   */
  public ModelRegistryUpdate decode(String key, byte[] value) {
    return decode(key, value, version -> true);
  }

  /**
   * Reads one record of the topic, decoding the value only of a version the reader wants.
   *
   * @param key the record's key, or null
   * @param value the record's value; null for a tombstone
   * @param wanted the versions the reader wants; a record of another is {@link Ignored}
   * @return what the record says; a record that cannot be read is skipped whether wanted or not
   * @throws RuntimeException when decoding fails for a reason that is not bad data
   */
  public ModelRegistryUpdate decode(String key, byte[] value, Predicate<ModelKey> wanted) {
    ModelKey version;
    try {
      version = ModelKey.decode(key);
    } catch (IllegalArgumentException e) {
      return new Skipped(key == null ? Skipped.Reason.NO_KEY : Skipped.Reason.BAD_KEY, key, e.getMessage(), null);
    }
    if (!wanted.test(version)) {
      return new Ignored(version);
    }
    if (value == null) {
      return new Undeployed(version);
    }
    try {
      return new Deployed(version, decoder.deserialize(topic, value));
    } catch (SerializationException e) {
      if (TransientFailures.isTransient(e)) {
        throw e;
      }
      return new Skipped(Skipped.Reason.UNDECODABLE, key, e.getMessage(), e);
    }
  }

  /** The key a deployment is written under: {@code model/version}. */
  public static String keyOf(ModelDeployment deployment) {
    return new ModelKey(deployment.getModel(), deployment.getVersion()).encode();
  }

  /**
   * The record that deploys (or re-deploys) a version: the deployment, encoded, under its key.
   *
   * @param deployment the version as deployed
   * @param encoder writes ModelDeployment values
   */
  public ProducerRecord<String, byte[]> recordOf(ModelDeployment deployment, Serializer<ModelDeployment> encoder) {
    return new ProducerRecord<>(topic, keyOf(deployment), encoder.serialize(topic, deployment));
  }

  /** The tombstone that undeploys a version. */
  public ProducerRecord<String, byte[]> tombstoneOf(ModelKey key) {
    return new ProducerRecord<>(topic, key.encode(), null);
  }
}
