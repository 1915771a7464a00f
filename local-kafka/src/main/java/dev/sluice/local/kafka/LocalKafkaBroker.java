package dev.sluice.local.kafka;

import dev.sluice.local.kafka.LocalKafkaException.Reason;
import dev.sluice.local.kafka.PreboundSockets.PortSetting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.raft.QuorumConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A real Apache Kafka broker running in this JVM in KRaft combined mode (broker and controller in
 * one node), with its data on disk.
 *
 * <p>The first start formats the storage under {@link LocalKafkaConfig#logDirectory()} (like
 * {@code kafka-storage format}, latest production metadata version); later starts on the same
 * directory reuse it, keeping the cluster id and every record. {@link #start} returns once the
 * broker answers an Admin {@code describeCluster} listing itself. {@link #close()} shuts down
 * cleanly and releases the ports.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.start(LocalKafkaConfig.defaults(dir))) {
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

  private final LocalKafkaConfig config;
  private final BrokerStorage storage;
  private final PreboundSockets sockets;
  private final EmbeddedFaultHandlerFactory faults = new EmbeddedFaultHandlerFactory();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Set while start() runs; volatile so that close() from another thread (a shutdown hook) sees
  // them.
  private volatile ControllerServer controller;
  private volatile BrokerServer broker;
  private volatile Metrics metrics;
  private volatile boolean serversStarted;

  private LocalKafkaBroker(LocalKafkaConfig config, BrokerStorage storage,
      PreboundSockets sockets) {
    this.config = config;
    this.storage = storage;
    this.sockets = sockets;
  }

  /**
   * Formats the storage if it is new, starts the broker and waits until it is ready.
   *
   * @param config the broker settings
   * @return the running broker; close it to stop
   * @throws LocalKafkaException with a message saying what to do if the port is taken, the data
   *     directory is unusable or belongs to another cluster, or the broker fails or times out
   */
  public static LocalKafkaBroker start(LocalKafkaConfig config) {
    BrokerStorage storage = BrokerStorage.inspect(config);
    Map<String, PortSetting> ports = new LinkedHashMap<>();
    ports.put(BrokerProperties.BROKER_LISTENER,
        new PortSetting(LocalKafkaConfig.BROKER_PORT, config.brokerPort()));
    ports.put(BrokerProperties.CONTROLLER_LISTENER,
        new PortSetting(LocalKafkaConfig.CONTROLLER_PORT, config.controllerPort()));
    PreboundSockets sockets = PreboundSockets.bind(config.host(), ports);
    LocalKafkaBroker local = new LocalKafkaBroker(config, storage, sockets);
    try {
      storage.formatIfNeeded(BrokerProperties.CONTROLLER_LISTENER);
      local.startServers();
      new BrokerReadiness(local.config, local.faults, local.bootstrapServers(), () -> local.broker.brokerState()).await();
    } catch (RuntimeException e) {
      local.stopAfterFailedStart(e);
      throw translate(e);
    }
    LOG.info("Local Kafka broker {} of cluster {} ready at {} (data in {})", config.nodeId(),
        storage.clusterId(), local.bootstrapServers(), storage.logDirectory());
    return local;
  }

  /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return config.host() + ":" + brokerPort();
  }

  /** Client properties that reach this broker: {@code bootstrap.servers}. */
  public Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** The bound client port (the actual one when the configured port was 0). */
  public int brokerPort() {
    return sockets.port(BrokerProperties.BROKER_LISTENER);
  }

  /** The bound KRaft controller port (the actual one when the configured port was 0). */
  public int controllerPort() {
    return sockets.port(BrokerProperties.CONTROLLER_LISTENER);
  }

  /** The cluster id stored with the data. */
  public String clusterId() {
    return storage.clusterId();
  }

  /** Whether this start formatted new storage (false when it reused existing data). */
  public boolean formattedOnStart() {
    return !storage.alreadyFormatted();
  }

  /** The settings this broker was started with. */
  public LocalKafkaConfig config() {
    return config;
  }

  /** Whether the broker is running: started, not closed, and no fatal fault reported. */
  public boolean isRunning() {
    return !closed.get() && faults.firstFatalFault().isEmpty();
  }

  /**
   * Shuts the broker down cleanly (controlled shutdown, then the controller), waits for it and
   * releases its ports. Calling it again does nothing.
   *
   * @throws LocalKafkaException if a part of the broker failed to stop; the others are still
   *     stopped
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      stopServers();
    } catch (RuntimeException e) {
      throw new LocalKafkaException(Reason.BROKER_FAILED, "The local Kafka broker did not shut "
          + "down cleanly: " + e.getMessage() + ". Its data in " + storage.logDirectory()
          + " is recovered on the next start.", e);
    }
    LOG.info("Local Kafka broker {} stopped (its data directory was {})", config.nodeId(),
        storage.logDirectory());
  }

  private void startServers() {
    String logDirectory = storage.logDirectory();
    KafkaConfig kafkaConfig = new KafkaConfig(
        BrokerProperties.of(config, logDirectory, brokerPort(), controllerPort()), false);
    Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> initialized =
        KafkaRaftServer.initializeLogDirs(kafkaConfig, LOG, "[LocalKafkaBroker] ");
    metrics = Server.initializeMetrics(kafkaConfig, Time.SYSTEM, storage.clusterId());
    SharedServer shared = new SharedServer(
        kafkaConfig,
        initialized._1(),
        Time.SYSTEM,
        metrics,
        CompletableFuture.completedFuture(
            QuorumConfig.parseVoterConnections(kafkaConfig.quorumConfig().voters())),
        QuorumConfig.parseBootstrapServers(kafkaConfig.quorumConfig().bootstrapServers()),
        faults,
        sockets);
    controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), initialized._2());
    broker = new BrokerServer(shared);
    serversStarted = true;
    // Same order as KafkaRaftServer: the controller first, then the broker, which registers
    // with it and returns once it is unfenced.
    controller.startup();
    broker.startup();
  }

  /** Stops whatever was started, in KafkaRaftServer's order, attempting every step. */
  private void stopServers() {
    RuntimeException failure = null;
    BrokerServer brokerServer = broker;
    ControllerServer controllerServer = controller;
    if (brokerServer != null) {
      failure = attempt(failure, brokerServer::shutdown);
    }
    if (controllerServer != null) {
      failure = attempt(failure, controllerServer::shutdown);
    }
    if (brokerServer != null) {
      failure = attempt(failure, brokerServer::awaitShutdown);
    }
    if (controllerServer != null) {
      failure = attempt(failure, controllerServer::awaitShutdown);
    }
    Metrics unclaimedMetrics = metrics;
    if (!serversStarted && unclaimedMetrics != null) {
      // Once the servers started, their shared server closes the metrics.
      failure = attempt(failure, unclaimedMetrics::close);
    }
    failure = attempt(failure, sockets::close);
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException attempt(RuntimeException earlier, Runnable step) {
    try {
      step.run();
      return earlier;
    } catch (RuntimeException e) {
      if (earlier == null) {
        return e;
      }
      earlier.addSuppressed(e);
      return earlier;
    }
  }

  private void stopAfterFailedStart(RuntimeException failure) {
    closed.set(true);
    try {
      stopServers();
    } catch (RuntimeException stopFailure) {
      failure.addSuppressed(stopFailure);
    }
  }

  private static LocalKafkaException translate(RuntimeException e) {
    if (e instanceof LocalKafkaException local) {
      return local;
    }
    if (e instanceof ConfigException) {
      return new LocalKafkaException(Reason.BROKER_FAILED, "Kafka rejected the broker "
          + "configuration: " + e.getMessage() + ". Check the "
          + LocalKafkaConfig.BROKER_PROPERTY_PREFIX + "* settings.", e);
    }
    return new LocalKafkaException(Reason.BROKER_FAILED, "The local Kafka broker failed to "
        + "start: " + e.getMessage() + ". See the broker log for details.", e);
  }
}
