package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {

  @Test
  void singleBrokerReplicatesInternalTopicsOnce() {
    assertThat(ClusterSpec.singleBroker().effectiveBrokerProperties())
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("default.replication.factor", "1")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("group.initial.rebalance.delay.ms", "0");
  }

  @Test
  void threeBrokersReplicateInternalTopicsThreeTimesWithMinIsrTwo() {
    assertThat(new ClusterSpec(3, true, Map.of()).effectiveBrokerProperties())
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("default.replication.factor", "3");
  }

  @Test
  void annotationPropertiesOverrideDefaults() {
    ClusterSpec spec = ClusterSpec.of(Annotated.class.getAnnotation(RealKafka.class));

    assertThat(spec.brokers()).isEqualTo(2);
    assertThat(spec.effectiveBrokerProperties())
        .containsEntry("auto.create.topics.enable", "true")
        .containsEntry("log.retention.ms", "1000");
  }

  @Test
  void asksForASchemaRegistryOnlyWhenTheAnnotationDoes() {
    assertThat(ClusterSpec.of(Annotated.class.getAnnotation(RealKafka.class)).schemaRegistry())
        .isFalse();
    assertThat(ClusterSpec.of(WithRegistry.class.getAnnotation(RealKafka.class)))
        .isEqualTo(ClusterSpec.singleBroker().withSchemaRegistry(true))
        .isNotEqualTo(ClusterSpec.singleBroker());
  }

  @Test
  void reportsEveryInvalidAnnotationAttribute() {
    assertThatThrownBy(() -> ClusterSpec.of(Broken.class.getAnnotation(RealKafka.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value no-equals-sign for configuration brokerProperties: must be "
            + "key=value");
    assertThatThrownBy(() -> new ClusterSpec(0, false, Map.of()))
        .hasMessage("Invalid value 0 for configuration brokers: must be between 1 and 9");
  }

  @Test
  void mapsBrokerPropertiesToTheKafkaImagesEnvironmentNames() {
    assertThat(ContainerKafkaCluster.envName("auto.create.topics.enable"))
        .isEqualTo("KAFKA_AUTO_CREATE_TOPICS_ENABLE");
    assertThat(ContainerKafkaCluster.envName("listener.name.internal.ssl_x-y"))
        .isEqualTo("KAFKA_LISTENER_NAME_INTERNAL_SSL__X___Y");
  }

  @RealKafka(brokers = 2, brokerProperties = {"auto.create.topics.enable=true",
      "log.retention.ms = 1000"})
  private static final class Annotated {}

  @RealKafka(schemaRegistry = true)
  private static final class WithRegistry {}

  @RealKafka(brokerProperties = "no-equals-sign")
  private static final class Broken {}
}
