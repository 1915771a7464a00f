package dev.sluice.gateway;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.TransientFailures;
import dev.sluice.platform.models.ModelRegistryRecords;
import dev.sluice.platform.models.ModelRegistryUpdate;
import dev.sluice.schemas.topics.ModelKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed models as the model registry topic says, kept current: what {@code GET /v1/models}
 * lists, and what lets the gateway answer 404 for a model nobody deployed without a round trip.
 * Ready once everything on the topic at start was read. Routing stays the ingress's.
 */
final class ModelCatalog extends TopicReader<String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
  private static final Comparator<ModelDeployment> BY_MODEL_AND_VERSION =
      Comparator.comparing(ModelDeployment::getModel).thenComparing(ModelDeployment::getVersion);

  private final ModelRegistryRecords records;
  private final Map<ModelKey, ModelDeployment> deployed = new ConcurrentHashMap<>();
  private Map<TopicPartition, Long> endsAtStart;

  ModelCatalog(Consumer<String, byte[]> consumer, ModelRegistryRecords records) {
    super(consumer, "sluice-gateway-models");
    this.records = records;
  }

  @Override
  protected String describe() {
    return "the model registry " + records.topic();
  }

  @Override
  protected void position() {
    List<PartitionInfo> infos = consumer.partitionsFor(records.topic(), Duration.ofSeconds(10));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(records.topic() + " does not exist (create the pipeline's topics with sluice topics create)");
    }
    List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    endsAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(10));
  }

  @Override
  protected void polled() {
    if (endsAtStart != null && endsAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
      endsAtStart = null;
      ready();
    }
  }

  @Override
  protected boolean take(ConsumerRecord<String, byte[]> record) {
    ModelRegistryUpdate update;
    try {
      update = records.decode(record.key(), record.value());
    } catch (RuntimeException e) {
      if (!TransientFailures.isTransient(e)) {
        throw e;
      }
      LOG.warn("The schema registry is unavailable; reading the model registry record at {}@{} again: {}", record.partition(),
          record.offset(), e.getMessage());
      return false;
    }
    if (update instanceof ModelRegistryUpdate.Deployed d && d.matchesKey()) {
      deployed.put(d.key(), d.deployment());
    } else if (update instanceof ModelRegistryUpdate.Undeployed u) {
      deployed.remove(u.key());
    } else if (update instanceof ModelRegistryUpdate.Skipped skipped) {
      LOG.warn("Skipping a model registry record: {}", skipped.detailAt(record.partition(), record.offset()));
    }
    return true;
  }

  /** Every deployed version, by model and version. */
  List<ModelDeployment> all() {
    return deployed.values().stream().sorted(BY_MODEL_AND_VERSION).toList();
  }

  /** The deployed versions of a model by version, none when it is not deployed. */
  List<ModelDeployment> versionsOf(String model) {
    return deployed.values().stream().filter(d -> d.getModel().equals(model)).sorted(BY_MODEL_AND_VERSION).toList();
  }
}
