package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery times under the defaults a user gets (no session or transaction timeout set by the
 * test): components run as their own processes, are killed with SIGKILL under steady traffic and
 * started again, and every request still ends exactly once.
 */
@RealKafka(schemaRegistry = true)
@Timeout(420)
class FailoverTest {
  /** The bound the issue sets for each recovery. */
  private static final Duration RECOVERY = Duration.ofSeconds(15);
  private static final int RATE_PER_SECOND = 30;

  @Test
  void theSurvivingWorkerAnswersAKilledWorkersPartitionsWithin15sAndTheRestartedWorkerIsReadyWithin15s(KafkaCluster kafka,
      @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "failover", TopicSettings.singleBroker(), 0),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl());
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      PacedTraffic paced = new PacedTraffic(traffic, "worker-failover-");
      ChildComponent a = ChildComponent.worker(processes, stack, dir, "failover-a");
      ChildComponent b = ChildComponent.worker(processes, stack, dir, "failover-b");
      a.start();
      b.start();
      a.awaitReady(Duration.ofMinutes(2), paced::read);
      b.awaitReady(Duration.ofMinutes(2), paced::read);

      long bothServing = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!paced.answeredBy().containsAll(Set.of("failover-a", "failover-b")) && System.nanoTime() < bothServing) {
        paced.run(Duration.ofSeconds(1));
      }
      assertThat(paced.answeredBy()).as("both workers serve before the kill").contains("failover-a", "failover-b");

      long killedAt = System.currentTimeMillis();
      ComponentProcesses.kill(a.process());
      paced.run(Duration.ofSeconds(20));
      long sentUntil = System.currentTimeMillis();

      Duration restartToReady = a.restartUntilReady(paced::read);
      paced.run(Duration.ofSeconds(3));

      long stoppedAt = System.currentTimeMillis();
      a.process().destroy();
      paced.run(Duration.ofSeconds(8));
      assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).as("worker a stopped on SIGTERM").isTrue();

      traffic.awaitOutcomes(paced.ids(), Duration.ofMinutes(2));
      traffic.assertExactlyOnce(paced.ids());
      Duration worstWait = paced.longestWaitAfter(killedAt, sentUntil);
      Duration worstWaitAfterStop = paced.longestWaitAfter(stoppedAt, Long.MAX_VALUE);
      System.out.printf("worker failover: longest wait of a request after the kill %d ms; restarted worker ready in %d ms;"
          + " longest wait after a graceful stop %d ms%n", worstWait.toMillis(), restartToReady.toMillis(), worstWaitAfterStop.toMillis());
      assertThat(worstWait).as("longest a request sent before the kill or in the 20 s after waited past the later of its send"
          + " and the kill; survivor's log:\n" + b.log()).isLessThanOrEqualTo(RECOVERY);
      assertThat(restartToReady).as("restarted worker ready").isLessThanOrEqualTo(RECOVERY);
      assertThat(worstWaitAfterStop).as("longest wait after worker a stopped gracefully: it left the group, so its partitions"
          + " moved without waiting out its session").isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void aKilledIngressInstanceRestartedOnItsStateIsReadyWithin15sAndEveryRequestEndsOnce(KafkaCluster kafka, @TempDir Path dir)
      throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "ingressfail", TopicSettings.singleBroker(), 1),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl());
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      PacedTraffic paced = new PacedTraffic(traffic, "ingress-failover-");
      // A second instance of the stack's ingress application: the two share the request partitions.
      ChildComponent ingress = ChildComponent.ingress(processes, stack, dir);
      ingress.start();
      ingress.awaitReady(Duration.ofMinutes(2), paced::read);
      paced.run(Duration.ofSeconds(5));

      ComponentProcesses.kill(ingress.process());
      Duration restartToReady = ingress.restartUntilReady(paced::read);
      paced.run(Duration.ofSeconds(5));

      traffic.awaitOutcomes(paced.ids(), Duration.ofMinutes(2));
      traffic.assertExactlyOnce(paced.ids());
      System.out.printf("ingress restart: ready in %d ms%n", restartToReady.toMillis());
      assertThat(restartToReady).as("restarted ingress ready; its log:\n" + ingress.log()).isLessThanOrEqualTo(RECOVERY);
    }
  }

  /** Requests at a steady rate, with when each was sent, read back as they are answered. */
  private static final class PacedTraffic {
    private final Traffic traffic;
    private final String prefix;
    private final Map<String, Long> sentAt = new LinkedHashMap<>();

    PacedTraffic(Traffic traffic, String prefix) {
      this.traffic = traffic;
      this.prefix = prefix;
    }

    /** Sends {@value #RATE_PER_SECOND} requests a second for the duration, reading outcomes in between. */
    void run(Duration duration) {
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long interval = Duration.ofSeconds(1).toNanos() / RATE_PER_SECOND;
      for (long next = start; next < end; next += interval) {
        int i = sentAt.size();
        sentAt.put(prefix + i, System.currentTimeMillis());
        traffic.send(Traffic.text(prefix + i, "minilm", Traffic.sentence(i)).build());
        long wait = next + interval - System.nanoTime();
        if (wait > 0) {
          traffic.outcomes.poll(Duration.ofNanos(wait));
        }
      }
      traffic.producer.flush();
    }

    /** Reads the outcomes that arrived, stamping them now. */
    void read() {
      traffic.outcomes.poll(Duration.ofMillis(100));
    }

    List<String> ids() {
      return new ArrayList<>(sentAt.keySet());
    }

    /** The worker ids that answered so far. */
    Set<String> answeredBy() {
      Set<String> workers = new TreeSet<>();
      sentAt.keySet().forEach(id -> traffic.outcomes.results(id).forEach(seen -> workers.add(seen.value().getWorkerId())));
      return workers;
    }

    /**
     * The longest a request sent before {@code sentUntil} waited for its outcome past the later of
     * its send and {@code from}: how long a failover at {@code from} held requests back.
     */
    Duration longestWaitAfter(long from, long sentUntil) {
      Map<String, Long> waits = new HashMap<>();
      sentAt.forEach((id, sent) -> {
        if (sent < sentUntil) {
          traffic.outcomes.results(id).forEach(seen -> waits.merge(id, seen.seenAtMillis() - Math.max(sent, from), Math::max));
          traffic.outcomes.rejections(id).forEach(seen -> waits.merge(id, seen.seenAtMillis() - Math.max(sent, from), Math::max));
        }
      });
      return Duration.ofMillis(waits.values().stream().mapToLong(Long::longValue).max().orElse(0));
    }
  }
}
