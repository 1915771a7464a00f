package dev.sluice.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;

/** Admin-client steps shared by the backends, each bounded by a deadline. */
final class ClusterAdmin {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private ClusterAdmin() {}

  /** Creates a topic, then waits until every partition has a leader. */
  static void createTopic(Map<String, Object> adminProps, String name, int partitions,
      int replicationFactor, Map<String, String> config) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin = Admin.create(adminProps)) {
      NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(config);
      await(admin.createTopics(List.of(topic)).all(), deadline, "create topic " + name);
      pollUntil(deadline, "every partition of " + name + " has a leader",
          () -> describe(admin, name, deadline),
          description -> description.partitions().size() == partitions
              && description.partitions().stream().allMatch(p -> p.leader() != null));
    }
  }

  /** Waits until the cluster metadata lists a broker. */
  static void awaitBrokerListed(Map<String, Object> adminProps, int brokerId) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin = Admin.create(adminProps)) {
      pollUntil(deadline, "broker " + brokerId + " is listed",
          () -> await(admin.describeCluster(new DescribeClusterOptions()
              .timeoutMs(attemptTimeoutMs(deadline))).nodes(), deadline, "describe the cluster"),
          nodes -> nodes.stream().map(Node::id).anyMatch(id -> id == brokerId));
    }
  }

  private static TopicDescription describe(Admin admin, String name, long deadline) {
    return await(admin.describeTopics(List.of(name)).allTopicNames(), deadline,
        "describe topic " + name).get(name);
  }

  private static <T> void pollUntil(long deadline, String condition, Attempt<T> attempt,
      Predicate<T> done) {
    TestKitException lastFailure = null;
    while (System.nanoTime() < deadline) {
      try {
        if (done.test(attempt.get())) {
          return;
        }
      } catch (TestKitException e) {
        lastFailure = e;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(POLL_INTERVAL.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TestKitException("Interrupted while waiting until " + condition, e);
      }
    }
    throw new TestKitException("Timed out after " + TIMEOUT.toSeconds() + " s waiting until "
        + condition, lastFailure);
  }

  private static <T> T await(KafkaFuture<T> future, long deadline, String action) {
    try {
      return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new TestKitException("Could not " + action + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new TestKitException("Timed out trying to " + action, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestKitException("Interrupted trying to " + action, e);
    }
  }

  private static int attemptTimeoutMs(long deadline) {
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(remainingMs, 5_000));
  }

  /** One attempt at reading the state polled for. */
  @FunctionalInterface
  private interface Attempt<T> {
    T get();
  }
}
