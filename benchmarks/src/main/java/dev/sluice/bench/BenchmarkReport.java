package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of the measured round, as a table for people and as JSON for tools.
 *
 * @param machine where it ran
 * @param settings the options
 * @param measured the measured round (the warm-up round is not reported)
 */
record BenchmarkReport(MachineInfo machine, BenchmarkSettings settings, RoundResult measured) {
  /** The target: ingress at least half the pass-through's records/s. */
  static final double TARGET_RATIO = 0.5;
  /** How completion is measured, for both topologies. */
  static final String COMPLETION = "outputs counted by a read_committed consumer until they account for every request"
      + " (pass-through: records on its output topic; ingress: routed + rejected + answered from cache on their topics"
      + " + dedup drops from the sluice.ingress.dedup.drops meter); then the group's committed offsets on the requests"
      + " topic are checked against its end offsets";

  /** Whether both topologies accounted for every request as they must. */
  boolean accountingHolds() {
    return measured.passThroughComplete() && measured.ingressAccountingHolds();
  }

  /** Prints the table. */
  void print(PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "Ingress topology vs pass-through (measured round; warm-up of %d requests per topology not reported)%n",
        settings.warmup());
    out.println("machine:    " + machine.describe());
    out.printf(Locale.ROOT, "settings:   %d requests, %d partitions, exactly_once_v2, %d stream thread(s), commit.interval.ms=%d,"
        + " ingress rate limit: %s, idempotent requests keyed by request id: %.0f %%%n", settings.requests(), settings.partitions(),
        settings.threads(), settings.commitIntervalMs(), settings.ratePerSecond() == 0 ? "none" : settings.ratePerSecond() + "/s per tenant",
        100 * settings.keyedByRequestId());
    out.println("completion: " + COMPLETION);
    out.println();
    out.printf(Locale.ROOT, "%-13s %9s %9s %11s %17s %18s%n", "topology", "records", "seconds", "records/s", "first output (s)",
        "offsets committed");
    for (PassMeasurement pass : new PassMeasurement[] {measured.passThrough(), measured.ingress()}) {
      out.printf(Locale.ROOT, "%-13s %9d %9.2f %11.0f %17.2f %18s%n", pass.name(), pass.records(), pass.seconds(),
          pass.recordsPerSecond(), pass.firstOutputSeconds(), pass.offsetsCommitted() ? "yes" : "NO");
    }
    out.println();
    out.printf(Locale.ROOT, "ingress / pass-through: %.1f %% (target >= %.0f %%: %s)%n", measured.ratio() * 100, TARGET_RATIO * 100,
        measured.ratio() >= TARGET_RATIO ? "met" : "NOT met");
    IngressOutcomes o = measured.outcomes();
    WorkloadExpectations e = measured.expectations();
    out.printf(Locale.ROOT, "ingress outcomes: routed %d %s, rejected %d %s (expected %d), answered from cache %d (of %d repeats"
        + " of popular texts), dedup drops %d (expected %d), shadow copies %d%n", o.routed(), o.routedByVersion(), o.rejected(),
        o.rejectionsByReason(), e.rejected(), o.answeredFromCache(), e.popular(), o.dedupDrops(), e.retries(), o.shadowCopies());
    out.printf(Locale.ROOT, "accounting: ingress %d of %d, pass-through %d of %d: %s%n", o.sum(), e.requests(),
        measured.passThrough().outputs().values().stream().mapToLong(Long::longValue).sum(), e.requests(),
        accountingHolds() ? "holds" : "DOES NOT HOLD");
  }

  /** Writes the report as JSON. */
  void writeJson(Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", "ingress-vs-passthrough");
    json.put("machine", Map.of("cores", machine.cores(), "cpuModel", machine.cpuModel(), "maxHeapBytes", machine.maxHeapBytes(),
        "javaVersion", machine.javaVersion(), "javaVm", machine.javaVm(), "os", machine.os()));
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("requests", settings.requests());
    options.put("partitions", settings.partitions());
    options.put("warmup", settings.warmup());
    options.put("streamThreads", settings.threads());
    options.put("commitIntervalMs", settings.commitIntervalMs());
    options.put("processingGuarantee", "exactly_once_v2");
    options.put("rateLimitPerSecond", settings.ratePerSecond());
    options.put("seed", settings.seed());
    json.put("settings", options);
    json.put("completion", COMPLETION);
    json.put("passThrough", pass(measured.passThrough()));
    Map<String, Object> ingress = pass(measured.ingress());
    ingress.put("outcomes", outcomes(measured.outcomes()));
    json.put("ingress", ingress);
    json.put("ratio", measured.ratio());
    json.put("targetRatio", TARGET_RATIO);
    json.put("targetMet", measured.ratio() >= TARGET_RATIO);
    WorkloadExpectations e = measured.expectations();
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("requests", e.requests());
    expected.put("rejected", e.rejected());
    expected.put("rejectionsByReason", new LinkedHashMap<>(e.rejections()));
    expected.put("dedupDrops", e.retries());
    expected.put("popularRepeats", e.popular());
    expected.put("withIdempotencyKey", e.withIdempotencyKey());
    json.put("expected", expected);
    json.put("seededResults", measured.seededResults());
    json.put("accountingHolds", accountingHolds());
    return json;
  }

  private static Map<String, Object> pass(PassMeasurement pass) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("startedAt", pass.startedAt().toString());
    json.put("records", pass.records());
    json.put("seconds", pass.seconds());
    json.put("recordsPerSecond", pass.recordsPerSecond());
    json.put("firstOutputSeconds", pass.firstOutputSeconds());
    json.put("offsetsCommitted", pass.offsetsCommitted());
    json.put("outputs", pass.outputs());
    return json;
  }

  private static Map<String, Object> outcomes(IngressOutcomes o) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("routed", o.routed());
    json.put("rejected", o.rejected());
    json.put("answeredFromCache", o.answeredFromCache());
    json.put("dedupDrops", o.dedupDrops());
    json.put("sum", o.sum());
    json.put("shadowCopies", o.shadowCopies());
    json.put("rejectionsByReason", o.rejectionsByReason());
    json.put("routedByVersion", o.routedByVersion());
    return json;
  }
}
