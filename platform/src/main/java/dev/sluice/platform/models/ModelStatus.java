package dev.sluice.platform.models;

import dev.sluice.avro.ModelLoadState;
import dev.sluice.platform.TransientFailures;
import dev.sluice.platform.topics.ReadToEnd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the compacted model status topic ({@code <prefix>.model-status}), where each worker
 * reports its state of each version it serves: ModelLoadState values keyed
 * {@code model/version/worker}, a tombstone when a worker withdraws its report. The one reader
 * of the topic for {@code sluice models list} and the MCP tools. A value that does not decode (a
 * {@link SerializationException}: bad bytes, an unknown schema id) is skipped and reported, and
 * the key keeps its earlier report, as {@link ModelRegistryRecords} skips a registry record; a
 * registry outage or another transient failure ({@link TransientFailures}) propagates.
 */
public final class ModelStatus {
  private final String topic;
  private final Deserializer<ModelLoadState> decoder;
  private final Duration timeout;

  /**
   * @param topic the status topic
   * @param decoder reads ModelLoadState values
   * @param timeout bound on reading to the end
   */
  public ModelStatus(String topic, Deserializer<ModelLoadState> decoder, Duration timeout) {
    this.topic = topic;
    this.decoder = decoder;
    this.timeout = timeout;
  }

  /** The status topic. */
  public String topic() {
    return topic;
  }

  /**
   * Reads every partition from the beginning to the end offsets it has when the read starts.
   *
   * @param consumer a consumer without a group (read_committed), assigned here
   * @return every worker's last report, ordered by key, and one line per record skipped
   * @throws TimeoutException when the end is not reached within the timeout
   */
  public ModelStatusSnapshot read(Consumer<String, byte[]> consumer) {
    Map<String, ModelLoadState> states = new TreeMap<>();
    List<String> skipped = new ArrayList<>();
    ReadToEnd.read(consumer, topic, timeout, record -> apply(record, states, skipped));
    return new ModelStatusSnapshot(List.copyOf(states.values()), skipped);
  }

  private void apply(ConsumerRecord<String, byte[]> record, Map<String, ModelLoadState> states, List<String> skipped) {
    if (record.value() == null) {
      states.remove(record.key());
      return;
    }
    try {
      states.put(record.key(), decoder.deserialize(topic, record.value()));
    } catch (SerializationException e) {
      if (TransientFailures.isTransient(e)) {
        throw e;
      }
      skipped.add("skipped the load state at " + topic + " partition " + record.partition() + " offset " + record.offset() + ": "
          + e.getMessage());
    }
  }
}
