package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.topics.ModelKey;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What one record of the model registry topic ({@code <prefix>.models}) says, as
 * {@link ModelRegistryRecords#decode} reads it: a version deployed, a version undeployed, a
 * version the reader did not ask for, or a record to skip and why. Every reader of the topic acts
 * on these; how it reports a skip (a log line, a line for the user) is its own.
 */
public sealed interface ModelRegistryUpdate {

  /**
   * A deployment under a {@code model/version} key: the version is deployed (or re-deployed) as
   * it describes.
   *
   * @param key the record's key
   * @param deployment the record's value, decoded
   */
  record Deployed(ModelKey key, ModelDeployment deployment) implements ModelRegistryUpdate {
    /**
     * Whether the deployment names the model and version of its key, as every deployment the
     * registry's writer writes does.
     */
    public boolean matchesKey() {
      return key.model().equals(deployment.getModel()) && key.version().equals(deployment.getVersion());
    }
  }

  /**
   * A tombstone under a {@code model/version} key: the version is no longer deployed.
   *
   * @param key the record's key
   */
  record Undeployed(ModelKey key) implements ModelRegistryUpdate {}

  /**
   * A record of a version the reader did not ask for; its value was not decoded.
   *
   * @param key the record's key
   */
  record Ignored(ModelKey key) implements ModelRegistryUpdate {}

  /**
   * A record that cannot be read, to skip: bad data, which the registry has no dead-letter topic
   * for and which must not stop its readers.
   *
   * @param reason why it is skipped
   * @param key the record's key as it is on the topic; null when it has none
   * @param detail what is wrong with the key, or why the value does not decode
   * @param failure the decoding failure of an {@link Reason#UNDECODABLE} value; null otherwise
   */
  record Skipped(Reason reason, String key, String detail, SerializationException failure) implements ModelRegistryUpdate {

    /** Why a record is skipped. */
    public enum Reason {
      /** The record has no key. */
      NO_KEY,
      /** The key is not {@code model/version}. */
      BAD_KEY,
      /** The value is not a ModelDeployment (and no registry outage is the cause). */
      UNDECODABLE
    }

    /**
     * The detail, with the record's partition and offset where the failure can carry them (a
     * {@link WireFormatException}, which names its topic).
     */
    public String detailAt(int partition, long offset) {
      return failure instanceof WireFormatException wireFormat ? wireFormat.withPosition(partition, offset).getMessage() : detail;
    }
  }
}
