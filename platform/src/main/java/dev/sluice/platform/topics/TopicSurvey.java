package dev.sluice.platform.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Looks at the pipeline's topics and consumer groups as they are: each topic's shape and size,
 * each group's lag against the committed end of the partitions it consumes (as read_committed
 * consumers see it). Only reads; every round trip bounded by the timeout.
 */
public final class TopicSurvey {
  private final Admin admin;
  private final Duration timeout;

  /**
   * @param admin admin client of the cluster (not closed here)
   * @param timeout bound on each admin round trip
   */
  public TopicSurvey(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** The state of each named topic, in the order given. */
  public List<TopicState> topics(List<String> names) throws InterruptedException {
    Set<String> existing = await(admin.listTopics().names());
    List<String> present = names.stream().filter(existing::contains).toList();
    Map<String, TopicDescription> descriptions = present.isEmpty() ? Map.of() : await(admin.describeTopics(present).allTopicNames());
    Map<ConfigResource, Config> configs = present.isEmpty() ? Map.of() : await(admin.describeConfigs(
        present.stream().map(TopicSurvey::resource).toList()).all());
    Map<TopicPartition, Long> ends = endOffsets(descriptions.values().stream()
        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList());
    List<TopicState> states = new ArrayList<>();
    for (String name : names) {
      TopicDescription description = descriptions.get(name);
      if (description == null) {
        states.add(new TopicState.Missing(name));
        continue;
      }
      Config config = configs.get(resource(name));
      long records = ends.entrySet().stream().filter(e -> e.getKey().topic().equals(name)).mapToLong(Map.Entry::getValue).sum();
      states.add(new TopicState.Present(name, description.partitions().size(), description.partitions().get(0).replicas().size(),
          value(config, "cleanup.policy", "delete"), value(config, "min.insync.replicas", "1"),
          Long.parseLong(value(config, "retention.ms", "-1")), records));
    }
    return states;
  }

  /** The ids of the existing groups whose id starts with the prefix, sorted. */
  public List<String> groupsStartingWith(String prefix) throws InterruptedException {
    return await(admin.listGroups().all()).stream().map(GroupListing::groupId).filter(id -> id.startsWith(prefix)).sorted().toList();
  }

  /**
   * The lag of each group over the partitions of topics whose name starts with the topic prefix.
   *
   * @param groups group ids
   * @param topicPrefix e.g. {@code sluice.}
   */
  public List<GroupLag> lag(Collection<String> groups, String topicPrefix) throws InterruptedException {
    Set<String> existing = Set.copyOf(await(admin.listGroups().all()).stream().map(GroupListing::groupId).toList());
    List<GroupLag> lags = new ArrayList<>();
    for (String group : groups) {
      Map<TopicPartition, OffsetAndMetadata> committed = existing.contains(group)
          ? await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()) : Map.of();
      Map<TopicPartition, OffsetAndMetadata> ours = new HashMap<>();
      committed.forEach((partition, offset) -> {
        if (offset != null && partition.topic().startsWith(topicPrefix)) {
          ours.put(partition, offset);
        }
      });
      if (ours.isEmpty()) {
        lags.add(new GroupLag.Absent(group));
        continue;
      }
      Map<TopicPartition, Long> ends = endOffsets(ours.keySet());
      Map<String, Long> byTopic = new TreeMap<>();
      ours.forEach((partition, offset) -> byTopic.merge(partition.topic(),
          Math.max(0, ends.getOrDefault(partition, 0L) - offset.offset()), Long::sum));
      lags.add(new GroupLag.Behind(group, byTopic.values().stream().mapToLong(Long::longValue).sum(), byTopic));
    }
    return lags;
  }

  private Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) throws InterruptedException {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> infos = await(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
    Map<TopicPartition, Long> ends = new HashMap<>();
    infos.forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }

  private static ConfigResource resource(String topic) {
    return new ConfigResource(ConfigResource.Type.TOPIC, topic);
  }

  private static String value(Config config, String key, String fallback) {
    ConfigEntry entry = config == null ? null : config.get(key);
    return entry == null || entry.value() == null ? fallback : entry.value();
  }

  private <T> T await(KafkaFuture<T> future) throws InterruptedException {
    return AdminCalls.await(future, timeout);
  }
}
