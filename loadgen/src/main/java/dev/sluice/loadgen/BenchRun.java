package dev.sluice.loadgen;

import dev.sluice.platform.UserError;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One bench run against a running pipeline: position the outcome reader at the ends of the
 * result and rejection topics, send the requests, wait (boundedly) for their outcomes, report.
 * Through the HTTP gateway ({@link BenchTarget#gateway()}), each call's answer is its outcome and
 * no reader runs.
 */
public final class BenchRun {
  /** After the last outcome is due, how long to read on for late duplicates already written. */
  static final Duration DRAIN = Duration.ofSeconds(5);
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final BenchSettings settings;
  private final BenchTarget target;
  private final BenchClock clock;
  private final ProgressLine progress;
  private volatile LoadGenerator generator;

  /** A run of these settings against that target, showing its progress on {@code progress}. */
  public BenchRun(BenchSettings settings, BenchTarget target, BenchClock clock, ProgressLine progress) {
    this.settings = settings;
    this.target = target;
    this.clock = clock;
    this.progress = progress;
  }

  /** A fresh run id: {@code bench-<UTC time>-<random>}, unique enough that no two runs' request ids meet. */
  public static String newRunId(Instant now) {
    return "bench-" + RUN_TIME.format(now) + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
  }

  /** Asks a running bench to stop sending; it still waits for the outcomes of what it sent. */
  public void stop() {
    LoadGenerator g = generator;
    if (g != null) {
      g.stop();
    }
  }

  /**
   * Runs the bench; the target must have passed {@link BenchPreflight#check}.
   *
   * @throws UserError when Kafka or the registry fail on the way
   */
  public BenchReport run() throws InterruptedException {
    Instant startedAt = Instant.now();
    String runId = newRunId(startedAt);
    Ledger ledger = new Ledger(runId);
    GeneratorResult sent;
    long skipped;
    boolean http = target.gateway() != null;
    try (OutcomeReader reader = http ? null : new OutcomeReader(target, "sluice-" + runId, ledger, clock);
        RequestSender sender = http ? new HttpRequestSender(target.gateway(), target.base64(), ledger, clock, settings.timeout())
            : new KafkaRequestSender(target, "sluice-" + runId)) {
      LoadGenerator load = new LoadGenerator(settings, clock, new RequestFactory(runId, settings, ledger, clock), sender, ledger);
      generator = load;
      if (reader != null) {
        reader.positionAtEnd(BenchPreflight.TIMEOUT);
        reader.onFailure(load::stop);
        reader.start();
      }
      progress.start(ledger, clock, clock.nanoTime());
      try {
        sent = load.run();
        sender.flush();
        awaitOutcomes(ledger, reader);
        if (reader != null) {
          reader.drainAndStop(DRAIN);
        }
      } finally {
        progress.close();
      }
      if (reader != null && reader.failure() != null) {
        throw reader.failure();
      }
      skipped = reader == null ? 0 : reader.skipped();
    }
    return new BenchReport(runId, startedAt, Instant.now(), settings, target.bootstrapServers(), target.registryUrl(),
        target.topics().prefix(), sent, ledger.summary(), skipped);
  }

  private void awaitOutcomes(Ledger ledger, OutcomeReader reader) throws InterruptedException {
    long deadline = clock.nanoTime() + settings.timeout().toNanos();
    for (long left = settings.timeout().toNanos(); left > 0 && (reader == null || reader.failure() == null); left = deadline - clock.nanoTime()) {
      if (ledger.awaitSettled(Math.min(left, Duration.ofMillis(200).toNanos()))) {
        return;
      }
    }
  }
}
