package dev.sluice.testkit;

import static dev.sluice.testkit.TopicClient.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

@RealKafka(brokers = 3, dedicatedController = true)
class BrokerFailoverTest {
  private static final String TOPIC = "orders";
  private static final Duration ISR_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void losesNoAcknowledgedRecordWhenTheLeaderStopsAndRestarts(KafkaCluster kafka)
      throws Exception {
    assertThat(kafka.brokerCount()).isEqualTo(3);
    kafka.createTopic(TOPIC, 3, 3, Map.of("min.insync.replicas", "2"));

    try (TopicClient orders = new TopicClient(kafka, TOPIC);
        Admin admin = Admin.create(kafka.adminClientProperties())) {
      orders.sendAll(values(0, 100));
      assertThat(orders.readUntil(100)).containsExactlyInAnyOrderElementsOf(values(0, 100));

      int leaderId = describe(admin).partitions().get(0).leader().id();
      int leaderIndex = IntStream.range(0, kafka.brokerCount())
          .filter(i -> kafka.brokerId(i) == leaderId).findFirst().orElseThrow();
      kafka.stopBroker(leaderIndex);
      awaitEveryPartition(admin, "has left the ISR of broker " + leaderId,
          p -> p.isr().stream().noneMatch(node -> node.id() == leaderId)
              && p.leader() != null && p.leader().id() != leaderId);

      orders.sendAll(values(100, 200));
      assertThat(orders.readUntil(200)).containsExactlyInAnyOrderElementsOf(values(0, 200));

      kafka.restartBroker(leaderIndex);
      awaitEveryPartition(admin, "has all 3 replicas in sync again", p -> p.isr().size() == 3);

      orders.sendAll(values(200, 300));
      List<String> everything = orders.readUntil(300);
      assertThat(everything).hasSize(300).containsExactlyInAnyOrderElementsOf(values(0, 300));
    }
  }

  private static TopicDescription describe(Admin admin) throws Exception {
    return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
  }

  private static void awaitEveryPartition(Admin admin, String condition,
      Predicate<TopicPartitionInfo> check) throws Exception {
    Poll.until("every partition of " + TOPIC + " " + condition, ISR_TIMEOUT,
        () -> describe(admin).partitions().stream().allMatch(check));
  }
}
