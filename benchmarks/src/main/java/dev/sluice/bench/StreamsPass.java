package dev.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Times a Kafka Streams application from {@code start()} until its outcomes, counted on its
 * output topics by a {@code read_committed} {@link OutputCounter}, account for every request:
 * then every output transaction is committed, and with it the input offsets. Afterwards checks
 * that the group's committed offsets on the input topic reached its end, closes the application,
 * wipes its local state, and reads the output counts to the end.
 */
final class StreamsPass {
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration COMMIT_CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private final BenchmarkCluster cluster;

  StreamsPass(BenchmarkCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Runs one pass.
   *
   * @param spec the application and what completes it
   * @param counter counts the application's output topics; positioned before the start
   * @param outcomes the outcomes accounted for so far, from the counter (and meters)
   * @throws IllegalStateException when the application fails or the run exceeds its timeout
   */
  PassMeasurement run(PassSpec spec, OutputCounter counter, LongSupplier outcomes) throws InterruptedException {
    KafkaStreams streams = new KafkaStreams(spec.topology(), spec.properties());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    long elapsed;
    long firstOutput = -1;
    Instant startedAt;
    boolean committed;
    try {
      startedAt = Instant.now();
      long start = System.nanoTime();
      long deadline = start + spec.timeout().toNanos();
      streams.start();
      while (true) {
        counter.poll(POLL);
        long now = System.nanoTime();
        long done = outcomes.getAsLong();
        if (firstOutput < 0 && done > 0) {
          firstOutput = now - start;
        }
        if (done >= spec.expected()) {
          elapsed = now - start;
          break;
        }
        failIfStopped(spec, streams, failure.get());
        if (now > deadline) {
          throw new IllegalStateException(spec.name() + " accounted for " + done + " of " + spec.expected() + " requests within "
              + spec.timeout() + " (outputs " + counter.counts() + ")");
        }
      }
      committed = awaitCommitted(spec);
    } finally {
      streams.close(CLOSE_TIMEOUT);
      streams.cleanUp();
    }
    counter.drainToEnd(Duration.ofSeconds(30));
    return new PassMeasurement(spec.name(), startedAt, spec.expected(), elapsed, firstOutput, committed, counter.counts());
  }

  private boolean awaitCommitted(PassSpec spec) throws InterruptedException {
    long deadline = System.nanoTime() + COMMIT_CHECK_TIMEOUT.toNanos();
    while (!cluster.committedToEnd(spec.applicationId(), spec.inputTopic())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static void failIfStopped(PassSpec spec, KafkaStreams streams, Throwable failure) {
    KafkaStreams.State state = streams.state();
    if (failure != null || state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
        || state == KafkaStreams.State.NOT_RUNNING) {
      throw new IllegalStateException(spec.name() + " stopped (state " + state + ")"
          + (failure == null ? "" : ": " + failure), failure);
    }
  }
}
