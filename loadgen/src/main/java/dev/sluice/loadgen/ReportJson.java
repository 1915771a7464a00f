package dev.sluice.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON form of a {@link BenchReport}: snake_case fields, latencies in milliseconds, rates per second. */
public final class ReportJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report as a JSON tree. */
  public static ObjectNode toJson(BenchReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("run_id", report.runId());
    root.put("started_at", report.startedAt().toString());
    root.put("finished_at", report.finishedAt().toString());
    root.put("accounted_for", report.outcomes().allAccountedFor());
    config(root.putObject("config"), report);
    phase(root.putObject("measured"), report.outcomes().measured());
    phase(root.putObject("warmup"), report.outcomes().warmup());
    ObjectNode generator = root.putObject("generator");
    GeneratorResult g = report.generator();
    generator.put("sent", g.sent());
    generator.put("seconds", (g.endNanos() - g.startNanos()) / 1e9);
    if (g.stopReason() == null) {
      generator.putNull("stopped_early");
    } else {
      generator.put("stopped_early", g.stopReason());
    }
    if (g.lag() == null) {
      generator.putNull("kept_up");
      generator.putNull("lag_ms");
    } else {
      generator.put("kept_up", g.keptUp());
      latency(generator.putObject("lag_ms"), g.lag());
    }
    root.put("skipped_records", report.skippedRecords());
    report.outcomes().missingIds().forEach(root.putArray("missing_ids")::add);
    report.outcomes().duplicateIds().forEach(root.putArray("duplicate_ids")::add);
    report.outcomes().sendErrors().forEach(root.putArray("send_errors")::add);
    return root;
  }

  /** The report as indented JSON text. */
  public static String toText(BenchReport report) {
    try {
      return MAPPER.writeValueAsString(toJson(report));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the report to a file. */
  public static void write(BenchReport report, Path file) throws IOException {
    Files.writeString(file, toText(report) + System.lineSeparator());
  }

  private static void config(ObjectNode node, BenchReport report) {
    BenchSettings s = report.settings();
    node.put("model", s.model());
    node.put("tenant", s.tenant());
    if (s.mode() instanceof LoadMode.OpenLoop open) {
      node.put("mode", "open");
      node.put("target_rate", open.ratePerSecond());
      node.putNull("concurrency");
    } else {
      node.put("mode", "closed");
      node.putNull("target_rate");
      node.put("concurrency", ((LoadMode.ClosedLoop) s.mode()).concurrency());
    }
    span(node, "", s.length());
    span(node, "warmup_", s.warmup());
    node.put("timeout_s", s.timeout().toMillis() / 1000.0);
    node.put("text_source", s.texts().source().describe());
    node.put("seed", s.texts().seed());
    node.put("unique_content", s.texts().uniqueContent());
    node.put("repeat_fraction", s.texts().repeatFraction());
    node.put("bootstrap_servers", report.bootstrapServers());
    node.put("schema_registry_url", report.registryUrl());
    node.put("prefix", report.prefix());
  }

  private static void span(ObjectNode node, String prefix, Span span) {
    if (span instanceof Span.Requests r) {
      node.put(prefix + "count", r.count());
      node.putNull(prefix + "duration_s");
    } else {
      node.putNull(prefix + "count");
      node.put(prefix + "duration_s", ((Span.Time) span).duration().toMillis() / 1000.0);
    }
  }

  private static void phase(ObjectNode node, PhaseFigures f) {
    node.put("sent", f.sent());
    node.put("send_failures", f.sendFailures());
    node.put("answered", f.answered());
    node.put("ok", f.ok());
    node.put("error", f.error());
    node.put("expired", f.expired());
    node.put("cached", f.cached());
    node.put("rejected", f.rejected());
    ObjectNode reasons = node.putObject("rejected_by_reason");
    f.rejectedByReason().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> reasons.put(e.getKey(), e.getValue()));
    node.put("missing", f.missing());
    node.put("duplicates", f.duplicates());
    node.put("send_rate", f.sendRate());
    node.put("outcome_throughput", f.outcomeThroughput());
    latency(node.putObject("latency_ms"), f.latency());
  }

  private static void latency(ObjectNode node, LatencyFigures l) {
    node.put("count", l.count());
    node.put("mean", l.meanMs());
    node.put("p50", l.p50Ms());
    node.put("p90", l.p90Ms());
    node.put("p95", l.p95Ms());
    node.put("p99", l.p99Ms());
    node.put("p99_9", l.p999Ms());
    node.put("max", l.maxMs());
  }
}
