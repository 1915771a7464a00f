package dev.sluice.platform.models;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.models.ModelRegistryUpdate.Deployed;
import dev.sluice.platform.models.ModelRegistryUpdate.Skipped;
import dev.sluice.platform.models.ModelRegistryUpdate.Undeployed;
import dev.sluice.platform.topics.ReadToEnd;
import dev.sluice.schemas.topics.ModelKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads and writes the compacted model registry topic ({@code <prefix>.models}): ModelDeployment
 * values keyed {@code model/version} ({@link ModelKey}), a tombstone undeploying a version, as
 * the ingress's registry store and the workers' registry feed read it: each record as
 * {@link ModelRegistryRecords} reads it, a record to skip reported in the snapshot.
 */
public final class ModelRegistry {
  private final String topic;
  private final ModelRegistryRecords records;
  private final Serializer<ModelDeployment> encoder;
  private final Duration timeout;

  /**
   * @param topic the registry topic
   * @param decoder reads deployments
   * @param encoder writes deployments
   * @param timeout bound on reading to the end and on each write's acknowledgement
   */
  public ModelRegistry(String topic, Deserializer<ModelDeployment> decoder, Serializer<ModelDeployment> encoder, Duration timeout) {
    this.topic = topic;
    this.records = new ModelRegistryRecords(topic, decoder);
    this.encoder = encoder;
    this.timeout = timeout;
  }

  /**
   * Reads every partition from the beginning to the end offsets it has when the read starts.
   *
   * @param consumer a consumer without a group (read_committed), assigned here
   * @throws TimeoutException when the end is not reached within the timeout
   */
  public ModelRegistrySnapshot read(Consumer<String, byte[]> consumer) {
    SortedMap<ModelKey, ModelDeployment> deployments = new TreeMap<>(ModelRegistrySnapshot.BY_MODEL_AND_VERSION);
    List<String> skipped = new ArrayList<>();
    ReadToEnd.read(consumer, topic, timeout, record -> apply(record, deployments, skipped));
    return new ModelRegistrySnapshot(deployments, skipped);
  }

  private void apply(ConsumerRecord<String, byte[]> record, Map<ModelKey, ModelDeployment> deployments, List<String> skipped) {
    ModelRegistryUpdate update = records.decode(record.key(), record.value());
    if (update instanceof Deployed deployed) {
      deployments.put(deployed.key(), deployed.deployment());
    } else if (update instanceof Undeployed undeployed) {
      deployments.remove(undeployed.key());
    } else if (update instanceof Skipped skip) {
      skipped.add(skip.reason() == Skipped.Reason.UNDECODABLE
          ? "skipped deployment " + skip.key() + ": " + skip.detailAt(record.partition(), record.offset())
          : "skipped the record at " + topic + " partition " + record.partition() + " offset " + record.offset() + ": " + skip.detail());
    }
  }

  /**
   * Writes deployments, each under its {@code model/version} key, and waits until every one is
   * acknowledged.
   *
   * @param producer an idempotent producer with acks=all
   * @throws KafkaException when a write fails or is not acknowledged within the timeout
   */
  public void write(Producer<String, byte[]> producer, Collection<ModelDeployment> deployments) throws InterruptedException {
    write(producer, deployments, List.of());
  }

  /**
   * Writes deployments and tombstones (undeploying versions), in that order, and waits until every
   * one is acknowledged.
   *
   * @param producer an idempotent producer with acks=all
   * @throws KafkaException when a write fails or is not acknowledged within the timeout
   */
  public void write(Producer<String, byte[]> producer, Collection<ModelDeployment> deployments, Collection<ModelKey> undeployed)
      throws InterruptedException {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (ModelDeployment deployment : deployments) {
      acks.add(producer.send(records.recordOf(deployment, encoder)));
    }
    for (ModelKey key : undeployed) {
      acks.add(producer.send(records.tombstoneOf(key)));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof KafkaException kafka ? kafka : new KafkaException(e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new TimeoutException("the write to " + topic + " was not acknowledged within " + timeout.toSeconds() + " s", e);
      }
    }
  }
}
