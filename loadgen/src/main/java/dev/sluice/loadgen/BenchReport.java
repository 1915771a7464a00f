package dev.sluice.loadgen;

import java.time.Instant;

/**
 * Everything a run found.
 *
 * @param runId the run id every request id starts with
 * @param startedAt when the run started sending
 * @param finishedAt when it stopped waiting for outcomes
 * @param settings what the run did
 * @param bootstrapServers where Kafka was
 * @param registryUrl where the schema registry was
 * @param prefix the topic prefix
 * @param generator what the load generator did
 * @param outcomes what became of the requests
 * @param skippedRecords records on the outcome topics that could not be read as their contract
 */
public record BenchReport(String runId, Instant startedAt, Instant finishedAt, BenchSettings settings, String bootstrapServers,
    String registryUrl, String prefix, GeneratorResult generator, LedgerSummary outcomes, long skippedRecords) {

  /** The process exit status: 0 when every request was delivered and got exactly one outcome, else 1. */
  public int exitStatus() {
    return outcomes.allAccountedFor() ? 0 : 1;
  }
}
