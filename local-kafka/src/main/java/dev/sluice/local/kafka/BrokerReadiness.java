package dev.sluice.local.kafka;

import dev.sluice.local.kafka.LocalKafkaException.Reason;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.metadata.BrokerState;

/**
 * When a started local broker is ready: when an Admin client finds it in the cluster (the client
 * listener is PLAINTEXT, the default), else when the broker itself reports RUNNING (registered,
 * caught up with the metadata, unfenced); a fatal fault of the broker ends the wait at once.
 */
final class BrokerReadiness {
  private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration READY_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final LocalKafkaConfig config;
  private final EmbeddedFaultHandlerFactory faults;
  private final String bootstrapServers;
  private final Supplier<BrokerState> brokerState;

  BrokerReadiness(LocalKafkaConfig config, EmbeddedFaultHandlerFactory faults, String bootstrapServers, Supplier<BrokerState> brokerState) {
    this.config = config;
    this.faults = faults;
    this.bootstrapServers = bootstrapServers;
    this.brokerState = brokerState;
  }

  /** Returns once the broker serves its clients; throws the broker's fatal fault or a timeout. */
  void await() {
    if (!clientsUsePlaintext()) {
      awaitRunning();
      return;
    }
    long deadline = System.nanoTime() + config.startupTimeout().toNanos();
    Map<String, Object> adminProps = Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-local-kafka-ready-check");
    Throwable lastFailure = null;
    try (Admin admin = Admin.create(adminProps)) {
      while (true) {
        faults.firstFatalFault().ifPresent(fault -> {
          throw fault;
        });
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          throw new LocalKafkaException(Reason.STARTUP_TIMED_OUT, "The local Kafka broker was not "
              + "ready within " + config.startupTimeout().toMillis() + " ms ("
              + LocalKafkaConfig.STARTUP_TIMEOUT_MS + "). Raise the timeout on a slow machine; "
              + "see the broker log for what it was waiting for.", lastFailure);
        }
        int attemptMs = (int) Math.min(remainingMs, READY_REQUEST_TIMEOUT.toMillis());
        try {
          Collection<Node> nodes = admin.describeCluster(
              new DescribeClusterOptions().timeoutMs(attemptMs)).nodes().get();
          if (nodes.stream().anyMatch(node -> node.id() == config.nodeId())) {
            return;
          }
          TimeUnit.NANOSECONDS.sleep(READY_POLL_INTERVAL.toNanos());
        } catch (ExecutionException e) {
          lastFailure = e.getCause();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalKafkaException(Reason.BROKER_FAILED,
          "Interrupted while waiting for the local Kafka broker to start", e);
    }
  }

  /** Whether the client listener is PLAINTEXT (the default), so an unauthenticated Admin can ask it. */
  private boolean clientsUsePlaintext() {
    String map = config.brokerProperties().getOrDefault("listener.security.protocol.map", "");
    for (String entry : map.split(",")) {
      String[] listener = entry.strip().split(":");
      if (listener.length == 2 && listener[0].equals(BrokerProperties.BROKER_LISTENER)) {
        return listener[1].equals("PLAINTEXT");
      }
    }
    return true;
  }

  /**
   * For a broker whose clients must authenticate (this class holds no credentials): ready when the
   * broker reports RUNNING, i.e. registered, caught up with the metadata and unfenced.
   */
  private void awaitRunning() {
    long deadline = System.nanoTime() + config.startupTimeout().toNanos();
    try {
      while (brokerState.get() != BrokerState.RUNNING) {
        faults.firstFatalFault().ifPresent(fault -> {
          throw fault;
        });
        if (System.nanoTime() > deadline) {
          throw new LocalKafkaException(Reason.STARTUP_TIMED_OUT, "The local Kafka broker was not running within "
              + config.startupTimeout().toMillis() + " ms (" + LocalKafkaConfig.STARTUP_TIMEOUT_MS + "), state "
              + brokerState.get() + "; see the broker log for what it was waiting for.", null);
        }
        TimeUnit.NANOSECONDS.sleep(READY_POLL_INTERVAL.toNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalKafkaException(Reason.BROKER_FAILED, "Interrupted while waiting for the local Kafka broker to start", e);
    }
  }
}
