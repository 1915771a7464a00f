package dev.sluice.testkit;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Starts test clusters on the right backend: Testcontainers' Kafka when Docker is available and
 * the shape is one combined broker, Kafka's in-process KRaft test kit otherwise. The system
 * property {@value #BACKEND_PROPERTY} forces a backend ({@code auto}, {@code inprocess}, {@code
 * container}); {@value #IMAGE_PROPERTY} picks the container image.
 */
public final class KafkaClusters {
  /** System property forcing a backend: {@code auto} (default), {@code inprocess} or {@code
   * container}. */
  public static final String BACKEND_PROPERTY = "sluice.testkit.backend";
  /** System property naming the container image. */
  public static final String IMAGE_PROPERTY = "sluice.testkit.kafka.image";
  /** The container image used unless {@value #IMAGE_PROPERTY} names another. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClusters.class);

  private KafkaClusters() {}

  /**
   * Starts a cluster of the given shape on the backend the system properties and Docker allow,
   * then, if the shape asks for one, a schema registry on it, which the returned cluster owns.
   *
   * @throws TestKitException if the cluster or the registry does not start
   * @throws IllegalArgumentException if {@value #BACKEND_PROPERTY} has an unknown value
   */
  public static KafkaCluster start(ClusterSpec spec) {
    TestKitBackend requested = TestKitBackend.parse(System.getProperty(BACKEND_PROPERTY));
    TestKitBackend backend = choose(spec, requested, KafkaClusters::dockerAvailable);
    LOG.info("Starting a {} Kafka cluster: {} broker(s), dedicated controller {}, schema "
        + "registry {}", backend.name().toLowerCase(Locale.ROOT), spec.brokers(),
        spec.dedicatedController(), spec.schemaRegistry());
    KafkaCluster cluster = backend == TestKitBackend.CONTAINER
        ? ContainerKafkaCluster.start(spec, System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
        : InProcessKafkaCluster.start(spec);
    return spec.schemaRegistry() ? ClusterWithSchemaRegistry.start(cluster) : cluster;
  }

  /**
   * Chooses the backend: {@link TestKitBackend#INPROCESS} or {@link TestKitBackend#CONTAINER}.
   *
   * @param spec the cluster shape; only a single combined node fits a container
   * @param requested what {@value #BACKEND_PROPERTY} asks for
   * @param dockerAvailable asked only when a container could be used
   * @throws TestKitException if a container is forced but Docker is not available
   */
  static TestKitBackend choose(ClusterSpec spec, TestKitBackend requested,
      BooleanSupplier dockerAvailable) {
    if (requested == TestKitBackend.INPROCESS) {
      return TestKitBackend.INPROCESS;
    }
    if (!spec.isSingleCombinedNode()) {
      if (requested == TestKitBackend.CONTAINER) {
        LOG.warn("{}=container offers one combined broker; running {} broker(s) with dedicated "
            + "controller {} in-process instead", BACKEND_PROPERTY, spec.brokers(),
            spec.dedicatedController());
      }
      return TestKitBackend.INPROCESS;
    }
    boolean docker = dockerAvailable.getAsBoolean();
    if (requested == TestKitBackend.CONTAINER && !docker) {
      throw new TestKitException(BACKEND_PROPERTY + "=container, but Docker is not available. "
          + "Start Docker, or use " + BACKEND_PROPERTY + "=inprocess or auto.");
    }
    return docker ? TestKitBackend.CONTAINER : TestKitBackend.INPROCESS;
  }

  private static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }
}
