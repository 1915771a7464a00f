package dev.sluice.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Opens admin clients for the commands, failing with one clear line when Kafka cannot be reached. */
public final class KafkaAdmins {
  /** Bound on each admin round trip made by a command. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);
  /** How long a command waits for the cluster's first answer before it says Kafka cannot be reached. */
  public static final Duration REACH_TIMEOUT = Duration.ofSeconds(5);

  private KafkaAdmins() {}

  /** Connects with these client properties (bootstrap.servers among them) and checks that the cluster answers. */
  public static Admin connect(Map<String, Object> clientProperties) throws InterruptedException {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    Admin admin = Admin.create(props);
    try {
      admin.describeCluster().clusterId().get(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return admin;
    } catch (TimeoutException | ExecutionException e) {
      admin.close(Duration.ZERO);
      throw new UserError("cannot reach Kafka at " + props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
          + ": is it running? start one with ./sluice up, or pass --bootstrap-servers (and --command-config for TLS/SASL)", e);
    }
  }
}
