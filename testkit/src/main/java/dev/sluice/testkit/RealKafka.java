package dev.sluice.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class a real Kafka cluster, started once before the class's tests and
 * stopped after them. Declare a {@link KafkaCluster} parameter on a test method, constructor,
 * {@code @BeforeAll}/{@code @BeforeEach} method to receive it; {@code @Nested} classes share the
 * enclosing class's cluster when they ask for the same shape.
 *
 * <pre>{@code
 * @RealKafka(brokers = 3, dedicatedController = true)
 * class FailoverTest {
 *   @Test
 *   void survivesBrokerLoss(KafkaCluster kafka) {
 *     kafka.createTopic("orders", 3, 3, Map.of("min.insync.replicas", "2"));
 *     kafka.stopBroker(0);
 *   }
 * }
 * }</pre>
 *
 * <p>With {@code schemaRegistry = true} a schema registry runs on the cluster as well; {@link
 * KafkaCluster#schemaRegistryUrl()} gives its URL for {@code schema.registry.url}.
 *
 * <p>The backend is Testcontainers' Kafka when Docker is available and one combined broker is
 * asked for, in-process KRaft otherwise; the system property {@value
 * KafkaClusters#BACKEND_PROPERTY} ({@code auto}, {@code inprocess}, {@code container}) overrides
 * the choice.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealKafkaExtension.class)
public @interface RealKafka {

  /** The number of brokers. */
  int brokers() default 1;

  /**
   * Whether the KRaft controller runs as its own node. Needed to stop and restart brokers: in
   * combined mode the first broker also hosts the controller.
   */
  boolean dedicatedController() default false;

  /** Extra broker properties as {@code key=value}, applied to every broker. */
  String[] brokerProperties() default {};

  /**
   * Whether to run a schema registry too: the local stack's {@code EmbeddedSchemaRegistry}, on an
   * ephemeral port, keeping its schemas in the cluster's {@code _schemas} topic. Its base URL is
   * {@link KafkaCluster#schemaRegistryUrl()}.
   */
  boolean schemaRegistry() default false;
}
