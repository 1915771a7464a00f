package dev.sluice.loadgen;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks, before a run, that Kafka answers, that the pipeline's topics exist and that the schema
 * registry takes the request schema; each failure is one {@link UserError} saying what to do.
 */
public final class BenchPreflight {
  /** Bound on each check. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private BenchPreflight() {}

  /** Runs every check. */
  public static void check(BenchTarget target) throws InterruptedException {
    Map<String, Object> props = new HashMap<>(target.clientProperties());
    props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    Admin admin = Admin.create(props);
    Set<String> names;
    try {
      admin.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      names = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw unreachable(target, e);
    } finally {
      admin.close(Duration.ZERO);
    }
    for (String topic : List.of(target.topics().requests(), target.topics().results(), target.topics().rejected())) {
      if (!names.contains(topic)) {
        throw missingTopic(topic, target);
      }
    }
    registerRequestSchema(target);
  }

  /** Registers the request schema under the requests topic's subject (what the producer would do on its first send). */
  static void registerRequestSchema(BenchTarget target) {
    String subject = target.topics().requests() + "-value";
    try {
      target.registry().register(subject, InferenceRequest.getClassSchema());
    } catch (SchemaRegistryException e) {
      throw new UserError("the schema registry at " + target.registryUrl() + " did not take the request schema under " + subject + " ("
          + e.getMessage() + "): start one with ./sluice up, or pass --schema-registry-url", e);
    }
  }

  static UserError unreachable(BenchTarget target, Exception cause) {
    return new UserError("cannot reach Kafka at " + target.bootstrapServers()
        + ": is it running? start one with ./sluice up, or pass --bootstrap-servers (and --command-config for TLS/SASL)", cause);
  }

  static UserError missingTopic(String topic, BenchTarget target) {
    return new UserError("topic " + topic + " does not exist: create the pipeline's topics with ./sluice topics create --prefix "
        + target.topics().prefix() + ", start the pipeline, or pass the right --prefix");
  }
}
