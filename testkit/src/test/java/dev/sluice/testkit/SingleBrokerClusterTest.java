package dev.sluice.testkit;

import static dev.sluice.testkit.TopicClient.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@RealKafka
class SingleBrokerClusterTest {
  private final KafkaCluster constructorCluster;

  SingleBrokerClusterTest(KafkaCluster cluster) {
    this.constructorCluster = cluster;
  }

  @BeforeAll
  static void createTopics(KafkaCluster kafka) {
    kafka.createTopic("events", 2, 1, Map.of("retention.ms", "600000"));
  }

  @Test
  void producesAndConsumesOnOneBroker(KafkaCluster kafka) throws Exception {
    List<String> sent = values(0, 50);
    try (TopicClient events = new TopicClient(kafka, "events")) {
      events.sendAll(sent);

      assertThat(events.readUntil(sent.size())).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  @Test
  void injectsOneClusterPerClassIntoConstructorLifecycleAndTestMethods(KafkaCluster kafka) {
    assertThat(kafka).isSameAs(constructorCluster);
    assertThat(kafka.brokerCount()).isEqualTo(1);
    assertThat(kafka.bootstrapServers()).isNotBlank();
    assertThat(kafka.adminClientProperties()).containsEntry("bootstrap.servers",
        kafka.bootstrapServers());
  }

  @Test
  void refusesToStopTheBrokerThatAlsoRunsTheController(KafkaCluster kafka) {
    assertThatThrownBy(() -> kafka.stopBroker(0))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("dedicatedController = true");
  }

  @Test
  void refusesTheSchemaRegistryUrlUnlessTheRegistryWasAskedFor(KafkaCluster kafka) {
    assertThatThrownBy(kafka::schemaRegistryUrl)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RealKafka(schemaRegistry = true)");
  }

  @Nested
  class NestedTests {
    @Test
    void shareTheEnclosingClassCluster(KafkaCluster kafka) {
      assertThat(kafka).isSameAs(constructorCluster);
    }
  }
}
