package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.testing.MutableClock;
import dev.sluice.schemas.registry.SchemaRegistryServerException;
import dev.sluice.schemas.registry.SchemaRegistryUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger shutdowns = new AtomicInteger();

  @Test
  void classifiesRetriableKafkaErrorsAndRegistryOutagesAsTransientThroughWrappers() {
    assertThat(FailureClassifier.classify(new StreamsException(new TimeoutException("t")))).isEqualTo(FailureClassifier.Kind.TRANSIENT);
    assertThat(FailureClassifier.classify(new NotLeaderOrFollowerException("x"))).isEqualTo(FailureClassifier.Kind.TRANSIENT);
    assertThat(FailureClassifier.classify(new StreamsException("task failed",
        new StreamsException(new SchemaRegistryUnavailableException("down", new IOException("refused"))))))
        .isEqualTo(FailureClassifier.Kind.TRANSIENT);
    assertThat(FailureClassifier.classify(new SchemaRegistryServerException("503", 503, 50001))).isEqualTo(FailureClassifier.Kind.TRANSIENT);
    assertThat(FailureClassifier.classify(new java.util.concurrent.TimeoutException())).isEqualTo(FailureClassifier.Kind.TRANSIENT);
  }

  @Test
  void classifiesBugsAsFatal() {
    assertThat(FailureClassifier.classify(new StreamsException(new NullPointerException("bug")))).isEqualTo(FailureClassifier.Kind.FATAL);
    assertThat(FailureClassifier.classify(new IllegalStateException("bad"))).isEqualTo(FailureClassifier.Kind.FATAL);
  }

  @Test
  void survivesACyclicCauseChain() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(FailureClassifier.classify(a)).isEqualTo(FailureClassifier.Kind.FATAL);
  }

  @Test
  void replacesTheThreadOnTransientFailuresUntilTheBudgetIsSpentThenShutsDown() {
    ThreadFailurePolicy policy = new ThreadFailurePolicy(new ReplacementBudget(2, Duration.ofMinutes(1)), clock, shutdowns::incrementAndGet);
    StreamsException transientFailure = new StreamsException(new TimeoutException("broker away"));

    assertThat(policy.handle(transientFailure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(policy.handle(transientFailure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(policy.handle(transientFailure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(shutdowns).hasValue(1);
  }

  @Test
  void regainsBudgetAsOldReplacementsLeaveTheWindow() {
    ThreadFailurePolicy policy = new ThreadFailurePolicy(new ReplacementBudget(1, Duration.ofMinutes(1)), clock, shutdowns::incrementAndGet);
    StreamsException transientFailure = new StreamsException(new TimeoutException("broker away"));

    assertThat(policy.handle(transientFailure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    clock.advance(Duration.ofMinutes(1));
    assertThat(policy.handle(transientFailure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(shutdowns).hasValue(0);
  }

  @Test
  void shutsDownAtOnceOnABug() {
    ThreadFailurePolicy policy = new ThreadFailurePolicy(new ReplacementBudget(5, Duration.ofMinutes(1)), clock, shutdowns::incrementAndGet);

    assertThat(policy.handle(new StreamsException(new NullPointerException("bug")))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(shutdowns).hasValue(1);
  }
}
