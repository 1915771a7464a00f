package dev.sluice.cli.render;

import dev.sluice.avro.Alert;
import dev.sluice.avro.LatencySummary;
import dev.sluice.avro.MetricsSnapshot;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Rows of the live table {@code sluice tail metrics} prints: one per window snapshot, and one line per alert. */
public final class SnapshotLines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String ROW = "%-8s %-6s %-14s %-7s %8s %9s %8s %8s %8s %7s %7s %s";

  private SnapshotLines() {}

  /** The column headings, aligned with {@link #of(MetricsSnapshot)}. */
  public static String header() {
    return String.format(Locale.ROOT, ROW, "WINDOW", "SIZE", "MODEL", "STATE", "REQUESTS", "PER S", "P50 MS", "P95 MS", "P99 MS",
        "BATCH", "PAD", "STATUS / REJECTIONS");
  }

  /** One row: window start (UTC), size, model/version, final or partial, counts, rates, latency, batch, padding, breakdowns. */
  public static String of(MetricsSnapshot s) {
    long sizeMs = s.getWindowEnd().toEpochMilli() - s.getWindowStart().toEpochMilli();
    LatencySummary latency = s.getLatency();
    String breakdown = counts(s.getStatusCounts()) + (s.getRejectionCounts().isEmpty() ? "" : "  rejected " + counts(s.getRejectionCounts()))
        + (s.getCacheHits() > 0 ? "  cached " + s.getCacheHits() : "")
        + (s.getQuality() == null ? "" : String.format(Locale.ROOT, "  accuracy %.3f macro-F1 %.3f", s.getQuality().getAccuracy(),
            s.getQuality().getMacroF1()));
    return String.format(Locale.ROOT, ROW, TIME.format(s.getWindowStart()), sizeMs % 60_000 == 0 ? sizeMs / 60_000 + "m" : sizeMs / 1000 + "s",
        s.getModel() + "/" + s.getModelVersion(), s.getFinal$() ? "final" : "partial", s.getRequestCount(),
        String.format(Locale.ROOT, "%.1f", s.getThroughputPerS()), ms(latency == null ? null : latency.getP50Ms()),
        ms(latency == null ? null : latency.getP95Ms()), ms(latency == null ? null : latency.getP99Ms()),
        String.format(Locale.ROOT, "%.1f", s.getMeanBatchSize()), String.format(Locale.ROOT, "%.2f", s.getPaddingRatio()), breakdown);
  }

  /** {@code ALERT  minilm/v2  LATENCY_REGRESSION  observed 310.0 expected 150.0  detail}. */
  public static String of(Alert a) {
    return String.format(Locale.ROOT, "ALERT  %s/%s  %s  observed %.1f expected %.1f  %s", a.getModel(), a.getModelVersion(), a.getRule(),
        a.getObserved(), a.getExpected(), a.getDetail());
  }

  private static String ms(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String counts(Map<String, Long> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
