package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BenchLedgerTest {
  private static final long MS = 1_000_000L;

  @Test
  void matchesOutcomesToTheRunsOwnRequestIdsAndIgnoresOthers() {
    Ledger ledger = new Ledger("run-a");
    ledger.measuredFrom(0);
    ledger.sent(0, 0, 0);
    ledger.sent(1, 0, 0);

    assertThat(ledger.result("run-a-0", Status.OK, false, 5 * MS)).isEqualTo(Ledger.Match.FIRST);
    assertThat(ledger.result("run-b-1", Status.OK, false, 5 * MS)).isEqualTo(Ledger.Match.FOREIGN);
    assertThat(ledger.result("run-a-x", Status.OK, false, 5 * MS)).isEqualTo(Ledger.Match.FOREIGN);
    assertThat(ledger.result("run-a-7", Status.OK, false, 5 * MS)).as("never sent").isEqualTo(Ledger.Match.FOREIGN);
    assertThat(ledger.result(null, Status.OK, false, 5 * MS)).isEqualTo(Ledger.Match.FOREIGN);
    assertThat(ledger.rejection("run-a-1", ReasonCode.RATE_LIMITED, 6 * MS)).isEqualTo(Ledger.Match.FIRST);

    LedgerSummary summary = ledger.summary();
    assertThat(summary.measured().ok()).isEqualTo(1);
    assertThat(summary.measured().rejectedByReason()).isEqualTo(Map.of("RATE_LIMITED", 1L));
    assertThat(summary.allAccountedFor()).isTrue();
  }

  @Test
  void countsASecondOutcomeOfARequestAsADuplicateWithoutCountingItTwice() {
    Ledger ledger = new Ledger("r");
    ledger.measuredFrom(0);
    ledger.sent(0, 0, 0);

    ledger.result("r-0", Status.OK, false, MS);
    assertThat(ledger.result("r-0", Status.OK, false, 2 * MS)).isEqualTo(Ledger.Match.DUPLICATE);
    assertThat(ledger.rejection("r-0", ReasonCode.OTHER, 3 * MS)).isEqualTo(Ledger.Match.DUPLICATE);

    LedgerSummary summary = ledger.summary();
    assertThat(summary.measured().ok()).isEqualTo(1);
    assertThat(summary.measured().rejected()).isZero();
    assertThat(summary.measured().duplicates()).isEqualTo(2);
    assertThat(summary.duplicateIds()).containsExactly("r-0", "r-0");
    assertThat(summary.allAccountedFor()).isFalse();
  }

  @Test
  void reportsRequestsWithoutOutcomeAsMissingAndSendFailuresApart() {
    Ledger ledger = new Ledger("r");
    ledger.measuredFrom(2);
    for (int i = 0; i < 5; i++) {
      ledger.sent(i, i * MS, i * MS);
    }
    ledger.sendFailed(4, new RuntimeException("broker gone"));
    ledger.result("r-0", Status.OK, false, 10 * MS);
    ledger.result("r-2", Status.ERROR, false, 10 * MS);

    LedgerSummary summary = ledger.summary();
    assertThat(summary.warmup().missing()).isEqualTo(1);
    assertThat(summary.measured().missing()).isEqualTo(1);
    assertThat(summary.measured().sendFailures()).isEqualTo(1);
    assertThat(summary.measured().error()).isEqualTo(1);
    assertThat(summary.missingIds()).containsExactly("r-1", "r-3");
    assertThat(summary.sendErrors()).singleElement().asString().contains("r-4").contains("broker gone");
    assertThat(ledger.outstanding()).isEqualTo(2);
  }

  @Test
  void latencyIsMeasuredFromCreationForOkResultsOfTheMeasuredPhaseOnly() {
    Ledger ledger = new Ledger("r");
    ledger.measuredFrom(1);
    ledger.sent(0, 0, 0);
    ledger.sent(1, 100 * MS, 100 * MS);
    ledger.sent(2, 100 * MS, 100 * MS);
    ledger.sent(3, 100 * MS, 100 * MS);

    ledger.result("r-0", Status.OK, false, 500 * MS);
    ledger.result("r-1", Status.OK, true, 120 * MS);
    ledger.result("r-2", Status.EXPIRED, false, 900 * MS);
    ledger.result("r-3", Status.OK, false, 140 * MS);

    PhaseFigures measured = ledger.summary().measured();
    assertThat(measured.latency().count()).isEqualTo(2);
    assertThat(measured.latency().maxMs()).isEqualTo(40.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(measured.latency().p50Ms()).isEqualTo(20.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(measured.cached()).isEqualTo(1);
    assertThat(measured.expired()).isEqualTo(1);
    assertThat(ledger.summary().warmup().latency().count()).isEqualTo(1);
  }

  @Test
  void freesOneSlotPerSettledRequestAndWakesAWaiterWhenAllAreSettled() throws Exception {
    Ledger ledger = new Ledger("r");
    AtomicInteger freed = new AtomicInteger();
    ledger.onSettled(freed::incrementAndGet);
    ledger.sent(0, 0, 0);
    ledger.sent(1, 0, 0);

    assertThat(ledger.awaitSettled(MS)).isFalse();
    ledger.result("r-0", Status.OK, false, MS);
    ledger.result("r-0", Status.OK, false, MS);
    ledger.sendFailed(1, new RuntimeException("x"));

    assertThat(freed.get()).isEqualTo(2);
    assertThat(ledger.awaitSettled(MS)).isTrue();
  }
}
