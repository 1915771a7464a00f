package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BenchPacingTest {
  private static final long MS = 1_000_000L;

  @Test
  void openLoopScheduleDueTimesComeFromTheStartAndTheRateOnly() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(5_000, 1000);

    assertThat(schedule.dueNanos(0)).isEqualTo(5_000);
    assertThat(schedule.dueNanos(1)).isEqualTo(5_000 + MS);
    assertThat(schedule.dueNanos(1_000_000)).isEqualTo(5_000 + 1_000_000 * MS);
    assertThat(new OpenLoopSchedule(0, 3).dueNanos(3)).isEqualTo(1_000_000_000L);
    assertThat(schedule.countDueBefore(5_000)).isZero();
    assertThat(schedule.countDueBefore(5_001)).isEqualTo(1);
    assertThat(schedule.countDueBefore(5_000 + 10 * MS)).isEqualTo(10);
    assertThat(schedule.countDueBefore(5_000 + 10 * MS + 1)).isEqualTo(11);
  }

  @Test
  void openLoopSendsEachRequestAtItsDueTimeWithItAsCreationTime() throws Exception {
    FakeClock clock = new FakeClock();
    Ledger ledger = new Ledger("run");
    RecordingSender sender = new RecordingSender(clock, r -> {});
    BenchSettings settings = settings(new LoadMode.OpenLoop(100), new Span.Requests(5), Span.NONE);

    GeneratorResult result = new LoadGenerator(settings, clock, new RequestFactory("run", settings, ledger, clock), sender, ledger).run();

    assertThat(sender.sent).hasSize(5);
    long start = result.startNanos();
    for (int i = 0; i < 5; i++) {
      assertThat(sender.sent.get(i).atNanos()).isEqualTo(start + i * 10 * MS);
      assertThat(sender.sent.get(i).request().getCreatedAt()).isEqualTo(clock.instantAt(start + i * 10 * MS));
      assertThat(sender.sent.get(i).request().getRequestId()).isEqualTo("run-" + i);
    }
    assertThat(result.keptUp()).isTrue();
    assertThat(result.lag().maxMs()).isZero();
  }

  @Test
  void aStalledSendDoesNotPostponeLaterRequestsAndTheirLatencyCountsFromTheSchedule() throws Exception {
    FakeClock clock = new FakeClock();
    Ledger ledger = new Ledger("run");
    AtomicInteger sends = new AtomicInteger();
    // The third send blocks for 100 ms (a full producer buffer, a GC pause): 10 requests fall due meanwhile.
    RecordingSender sender = new RecordingSender(clock, r -> {
      if (sends.incrementAndGet() == 3) {
        clock.advance(100 * MS);
      }
    });
    BenchSettings settings = settings(new LoadMode.OpenLoop(100), new Span.Requests(20), Span.NONE);

    GeneratorResult result = new LoadGenerator(settings, clock, new RequestFactory("run", settings, ledger, clock), sender, ledger).run();

    long start = result.startNanos();
    long stallEnd = start + 2 * 10 * MS + 100 * MS;
    // Requests 3..12 were due during the stall: sent at once when it ends, each still created at its due time.
    for (int i = 3; i <= 12; i++) {
      assertThat(sender.sent.get(i).atNanos()).isEqualTo(stallEnd);
      assertThat(sender.sent.get(i).request().getCreatedAt()).isEqualTo(clock.instantAt(start + i * 10 * MS));
    }
    // The schedule resumes where it was, not shifted by the stall.
    assertThat(sender.sent.get(13).atNanos()).isEqualTo(start + 13 * 10 * MS);
    assertThat(sender.sent).hasSize(20);
    assertThat(result.keptUp()).isFalse();
    assertThat(result.lag().maxMs()).isEqualTo(90.0, org.assertj.core.data.Offset.offset(0.1));

    // Answered right at the end of the stall, request 3 shows the 90 ms it waited for the generator.
    ledger.result("run-3", Status.OK, false, stallEnd);
    assertThat(ledger.summary().measured().latency().maxMs()).isEqualTo(90.0, org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void openLoopDurationSendsRateTimesDurationAfterATimedWarmup() throws Exception {
    FakeClock clock = new FakeClock();
    Ledger ledger = new Ledger("run");
    RecordingSender sender = new RecordingSender(clock, r -> {});
    BenchSettings settings = settings(new LoadMode.OpenLoop(50), new Span.Time(Duration.ofSeconds(2)), new Span.Time(Duration.ofSeconds(1)));

    new LoadGenerator(settings, clock, new RequestFactory("run", settings, ledger, clock), sender, ledger).run();

    assertThat(sender.sent).hasSize(150);
    LedgerSummary summary = ledger.summary();
    assertThat(summary.warmup().sent()).isEqualTo(50);
    assertThat(summary.measured().sent()).isEqualTo(100);
    assertThat(summary.measured().sendRate()).isEqualTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void closedLoopKeepsAtMostConcurrencyRequestsOutstanding() throws Exception {
    FakeClock clock = new FakeClock();
    Ledger ledger = new Ledger("run");
    AtomicInteger maxOutstanding = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    // Answers each request when the one after next is sent, so the generator waits on free slots.
    RecordingSender sender = new RecordingSender(clock, r -> {
      maxOutstanding.accumulateAndGet((int) ledger.outstanding(), Math::max);
      int n = sent.incrementAndGet();
      if (n >= 3) {
        ledger.result("run-" + (n - 3), Status.OK, false, clock.nanoTime());
      }
    });
    BenchSettings settings = settings(new LoadMode.ClosedLoop(3), new Span.Requests(30), new Span.Requests(5));

    GeneratorResult result = new LoadGenerator(settings, clock, new RequestFactory("run", settings, ledger, clock), sender, ledger).run();

    assertThat(result.stopReason()).isNull();
    assertThat(result.lag()).isNull();
    assertThat(sender.sent).hasSize(35);
    assertThat(maxOutstanding.get()).isEqualTo(3);
    assertThat(ledger.summary().warmup().sent()).isEqualTo(5);
    assertThat(ledger.summary().measured().sent()).isEqualTo(30);
  }

  @Test
  void closedLoopGivesUpWhenNoSlotFreesWithinTheTimeout() throws Exception {
    FakeClock clock = new FakeClock();
    Ledger ledger = new Ledger("run");
    RecordingSender sender = new RecordingSender(clock, r -> {});
    BenchSettings settings = new BenchSettings("m", null, new LoadMode.ClosedLoop(2), new Span.Requests(10), Span.NONE,
        new TextPlan(new GeneratedSentences(1), 1, true, 0), Duration.ofMillis(50));

    GeneratorResult result = new LoadGenerator(settings, clock, new RequestFactory("run", settings, ledger, clock), sender, ledger).run();

    assertThat(sender.sent).hasSize(2);
    assertThat(result.stopReason()).startsWith("stalled");
  }

  static BenchSettings settings(LoadMode mode, Span length, Span warmup) {
    return new BenchSettings("minilm", "t1", mode, length, warmup, new TextPlan(new GeneratedSentences(7), 7, true, 0), Duration.ofSeconds(5));
  }
}
