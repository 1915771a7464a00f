package dev.sluice.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The human-readable summary of a {@link BenchReport}, printed at the end of a run. */
public final class ReportTable {
  private ReportTable() {}

  /** The table, lines ending in {@code \n}. */
  public static String render(BenchReport report) {
    StringBuilder out = new StringBuilder();
    BenchSettings s = report.settings();
    PhaseFigures m = report.outcomes().measured();
    PhaseFigures w = report.outcomes().warmup();
    boolean warm = w.sent() > 0;
    line(out, "sluice bench %s: model %s, %s, %s%s", report.runId(), s.model(), mode(s.mode()), span(s.length()),
        warm ? " after a warmup of " + span(s.warmup()) : "");
    line(out, "");
    line(out, "%-22s %14s%s", "", "measured", warm ? String.format(Locale.ROOT, " %14s", "warmup") : "");
    List<Row> rows = new ArrayList<>();
    rows.add(row("sent", PhaseFigures::sent));
    rows.add(row("OK", PhaseFigures::ok));
    rows.add(row("  from cache", PhaseFigures::cached));
    rows.add(row("ERROR", PhaseFigures::error));
    rows.add(row("EXPIRED", PhaseFigures::expired));
    rows.add(row("rejected", PhaseFigures::rejected));
    for (String reason : reasons(m, w)) {
      rows.add(row("  " + reason, f -> f.rejectedByReason().getOrDefault(reason, 0L)));
    }
    rows.add(row("missing", PhaseFigures::missing));
    rows.add(row("duplicates", PhaseFigures::duplicates));
    rows.add(row("send failures", PhaseFigures::sendFailures));
    for (Row r : rows) {
      line(out, "%-22s %,14d%s", r.label(), r.value().apply(m), warm ? String.format(Locale.ROOT, " %,14d", r.value().apply(w)) : "");
    }
    line(out, "%-22s %14s", "send rate", String.format(Locale.ROOT, "%,.1f/s", m.sendRate()));
    line(out, "%-22s %14s", "outcome throughput", String.format(Locale.ROOT, "%,.1f/s", m.outcomeThroughput()));
    line(out, "");
    LatencyFigures l = m.latency();
    line(out, "latency of OK results, ms (%,d)", l.count());
    line(out, "%9s %9s %9s %9s %9s %9s %9s", "p50", "p90", "p95", "p99", "p99.9", "max", "mean");
    line(out, "%9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f", l.p50Ms(), l.p90Ms(), l.p95Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(), l.meanMs());
    line(out, "");
    GeneratorResult g = report.generator();
    if (g.lag() != null) {
      line(out, "generator: %s the target rate (send lag p50 %.2f ms, p99 %.2f ms, max %.2f ms)",
          Boolean.TRUE.equals(g.keptUp()) ? "kept up with" : "FELL BEHIND", g.lag().p50Ms(), g.lag().p99Ms(), g.lag().maxMs());
    }
    if (g.stopReason() != null) {
      line(out, "generator stopped early: %s", g.stopReason());
    }
    verdict(out, report);
    return out.toString();
  }

  private static void verdict(StringBuilder out, BenchReport report) {
    LedgerSummary o = report.outcomes();
    long missing = o.measured().missing() + o.warmup().missing();
    long duplicates = o.measured().duplicates() + o.warmup().duplicates();
    long failures = o.measured().sendFailures() + o.warmup().sendFailures();
    if (o.allAccountedFor()) {
      line(out, "every request accounted for: %,d sent, each with exactly one outcome", o.measured().sent() + o.warmup().sent());
      return;
    }
    if (duplicates > 0) {
      line(out, "DUPLICATES: %,d outcomes for requests already answered (e.g. %s); a read_committed reader must see each "
          + "outcome once: the pipeline broke exactly-once", duplicates, String.join(", ", o.duplicateIds()));
    }
    if (missing > 0) {
      line(out, "MISSING: %,d requests without an outcome within %ds (e.g. %s)", missing, report.settings().timeout().toSeconds(),
          String.join(", ", o.missingIds()));
    }
    if (failures > 0) {
      line(out, "SEND FAILURES: %,d requests not delivered to Kafka (e.g. %s)", failures, String.join("; ", o.sendErrors()));
    }
  }

  private static List<String> reasons(PhaseFigures m, PhaseFigures w) {
    return java.util.stream.Stream.concat(m.rejectedByReason().keySet().stream(), w.rejectedByReason().keySet().stream())
        .distinct().sorted().toList();
  }

  private record Row(String label, Function<PhaseFigures, Long> value) {}

  private static Row row(String label, Function<PhaseFigures, Long> value) {
    return new Row(label, value);
  }

  static String mode(LoadMode mode) {
    return mode instanceof LoadMode.OpenLoop o ? String.format(Locale.ROOT, "open loop at %,.1f req/s", o.ratePerSecond())
        : "closed loop with " + ((LoadMode.ClosedLoop) mode).concurrency() + " outstanding";
  }

  static String span(Span span) {
    return span instanceof Span.Requests r ? String.format(Locale.ROOT, "%,d requests", r.count())
        : String.format(Locale.ROOT, "%.1fs", ((Span.Time) span).duration().toMillis() / 1000.0);
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
