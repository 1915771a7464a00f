package dev.sluice.worker.fleet;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.models.ModelRegistryRecords;
import dev.sluice.platform.models.ModelRegistryUpdate;
import dev.sluice.platform.models.ModelRegistryUpdate.Deployed;
import dev.sluice.platform.models.ModelRegistryUpdate.Skipped;
import dev.sluice.platform.models.ModelRegistryUpdate.Undeployed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the compacted model registry ({@code <prefix>.models}, keys {@code model/version}) on its
 * own thread and tells a {@link ModelFleet} about the deployments of its model: a value deploys
 * (or re-deploys) a version, a tombstone removes it. Reads every partition from the beginning,
 * without a consumer group; at start and whenever the fleet asks ({@link ModelFleet#syncWanted()})
 * it notes the registry's end offsets and reports {@link ModelFleet#synced} once it has read that
 * far, so the fleet knows when "not deployed" is final.
 *
 * <p>Each record is read as {@link ModelRegistryRecords} reads it (another model's value is not
 * decoded). A registry record that cannot be read (no key or a key not shaped
 * {@code model/version}, bytes that are not a ModelDeployment) is skipped with an error in the
 * log, and so, here, is a value whose model or version disagrees with its key: the registry has no
 * dead-letter topic, and stopping on it would stop every worker of every model. Any other failure
 * (authorization, a registry outage outlasting the client's retries) is handed to
 * {@link ModelFleet#feedFailed}, which stops the worker loudly.
 */
public final class ModelRegistryFeed implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryFeed.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(1);

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final ModelRegistryRecords records;
  private final ModelFleet fleet;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * Creates a feed; {@link #run()} (on a thread of the caller's) does the reading.
   *
   * @param consumer a consumer without a group, owned by this feed from now on
   * @param topic the registry topic
   * @param deployments reads ModelDeployment values
   * @param fleet told about the model's deployments
   */
  public ModelRegistryFeed(Consumer<String, byte[]> consumer, String topic, Deserializer<ModelDeployment> deployments, ModelFleet fleet) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.records = new ModelRegistryRecords(topic, Objects.requireNonNull(deployments, "deployments"));
    this.fleet = Objects.requireNonNull(fleet, "fleet");
  }

  @Override
  public void run() {
    if (started.getAndSet(true)) {
      throw new IllegalStateException("The model registry feed runs once");
    }
    try {
      List<TopicPartition> partitions = awaitPartitions();
      if (partitions.isEmpty()) {
        return;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long served = -1;
      long wanted = -1;
      Map<TopicPartition, Long> target = null;
      while (stop.getCount() > 0) {
        if (target == null && fleet.syncWanted() > served) {
          wanted = fleet.syncWanted();
          target = consumer.endOffsets(partitions);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          apply(record);
        }
        if (target != null && reached(target)) {
          fleet.synced(wanted);
          served = wanted;
          target = null;
        }
      }
    } catch (WakeupException e) {
      if (stop.getCount() > 0) {
        fleet.feedFailed(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fleet.feedFailed(e);
    } catch (RuntimeException e) {
      LOG.error("The model registry reader of topic {} failed", topic, e);
      fleet.feedFailed(e);
    } finally {
      consumer.close();
      done.countDown();
    }
  }

  /** Stops reading and closes the consumer, waiting up to the timeout; returns whether it stopped. */
  public boolean close(Duration timeout) throws InterruptedException {
    stop.countDown();
    if (!started.getAndSet(true)) {
      consumer.close();
      done.countDown();
      return true;
    }
    consumer.wakeup();
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops reading, waiting up to five seconds. */
  @Override
  public void close() {
    try {
      close(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<TopicPartition> awaitPartitions() throws InterruptedException {
    boolean warned = false;
    while (stop.getCount() > 0) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      }
      if (!warned) {
        LOG.warn("The model registry topic {} does not exist yet; waiting for it", topic);
        warned = true;
      }
      stop.await(TOPIC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    return List.of();
  }

  private boolean reached(Map<TopicPartition, Long> target) {
    for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    ModelRegistryUpdate update = records.decode(record.key(), record.value(), key -> key.model().equals(fleet.model()));
    if (update instanceof Undeployed undeployed) {
      fleet.removed(undeployed.key().version());
    } else if (update instanceof Deployed deployed) {
      if (deployed.matchesKey()) {
        fleet.deployed(deployed.deployment());
      } else {
        LOG.error("Skipping deployment under key {} at {}-{} offset {}: it describes {}/{}", deployed.key().encode(), record.topic(),
            record.partition(), record.offset(), deployed.deployment().getModel(), deployed.deployment().getVersion());
      }
    } else if (update instanceof Skipped skip) {
      if (skip.reason() == Skipped.Reason.UNDECODABLE) {
        LOG.error("Skipping undecodable deployment of {}: {}", skip.key(), skip.detailAt(record.partition(), record.offset()));
      } else {
        LOG.error("Skipping model registry record at {}-{} offset {}: {}", record.topic(), record.partition(), record.offset(), skip.detail());
      }
    }
    // Ignored: a record of another model.
  }
}
