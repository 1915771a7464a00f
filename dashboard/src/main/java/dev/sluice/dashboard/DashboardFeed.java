package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.platform.AvroJson;
import dev.sluice.platform.topics.ReadToEnd;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.schemas.topics.PipelineTopics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code <prefix>.metrics} (MetricsSnapshot) and {@code <prefix>.alerts} (any Avro record,
 * read generically) as a read_committed consumer with no group, assigned every partition and
 * starting {@code lookback} back, into the history and the event hub. An undecodable record is
 * skipped with a WARN (these topics are only shown); anything else stops the feed, which then
 * reports its failure to {@code /health}.
 */
final class DashboardFeed implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PipelineTopics topics;
  private final AvroDeserializer<MetricsSnapshot> snapshots;
  private final AvroDeserializer<IndexedRecord> alerts;
  private final DashboardHistory history;
  private final EventHub hub;
  private final Clock clock;
  private volatile boolean running = true;
  private volatile Throwable failure;

  /** Builds the consumer and positions it; throws when a topic is missing. */
  DashboardFeed(DashboardConfig config, SchemaRegistryClient registry, DashboardHistory history, EventHub hub, Clock clock) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-dashboard");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topics = config.topics();
    this.snapshots = new AvroDeserializer<>(MetricsSnapshot.class, registry);
    this.alerts = new AvroDeserializer<>(registry);
    this.history = history;
    this.hub = hub;
    this.clock = clock;
    try {
      position(clock.millis() - config.lookback().toMillis());
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  private void position(long fromMillis) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.metrics(), topics.alerts())) {
      var infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist (run ./sluice topics create)");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    ReadToEnd.seekToTime(consumer, partitions, fromMillis, METADATA_TIMEOUT);
  }

  @Override
  public void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          accept(record);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
        throw e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("The dashboard stopped reading {} and {}", topics.metrics(), topics.alerts(), e);
      throw e;
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      if (record.topic().equals(topics.metrics())) {
        MetricsSnapshot snapshot = snapshots.deserialize(record.topic(), record.value());
        ObjectNode point = SnapshotJson.of(snapshot);
        history.addSnapshot(point, SnapshotJson.sketch(snapshot), clock.millis());
        hub.publish("snapshot", point.toString());
        hub.publish("totals", history.totals(point.path("windowMs").asLong()).toString());
      } else {
        JsonNode alert = AvroJson.of(alerts.deserialize(record.topic(), record.value()));
        history.addAlert(alert, clock.millis());
        hub.publish("alert", alert.toString());
      }
    } catch (WireFormatException e) {
      LOG.warn("Skipping an undecodable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }

  /** Why the feed stopped, if it failed. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Asks the loop to stop; it closes the consumer on its way out. */
  void stop() {
    running = false;
    consumer.wakeup();
  }
}
