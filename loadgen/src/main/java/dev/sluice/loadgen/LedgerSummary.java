package dev.sluice.loadgen;

import java.util.List;

/**
 * The ledger's figures at the end of a run.
 *
 * @param warmup the warmup requests
 * @param measured the measured requests
 * @param missingIds some ids of requests without an outcome
 * @param duplicateIds some ids of requests answered more than once
 * @param sendErrors some send failures, id and error
 */
public record LedgerSummary(PhaseFigures warmup, PhaseFigures measured, List<String> missingIds, List<String> duplicateIds,
    List<String> sendErrors) {

  public LedgerSummary {
    missingIds = List.copyOf(missingIds);
    duplicateIds = List.copyOf(duplicateIds);
    sendErrors = List.copyOf(sendErrors);
  }

  /** True when every request was delivered to Kafka and got exactly one outcome. */
  public boolean allAccountedFor() {
    return warmup.missing() + measured.missing() + warmup.duplicates() + measured.duplicates()
        + warmup.sendFailures() + measured.sendFailures() == 0;
  }
}
