package dev.sluice.cli.render;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Alert;
import dev.sluice.avro.AuditEvent;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.MetricKind;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;

/** One human-readable line per record of the results, dead-letter, metric-event, metrics, alert and audit topics. */
public final class TailLines {
  /** The audit reason of a dry run (the MCP tools' set_traffic and rollback): nothing was refused. */
  private static final String DRY_RUN = "dry_run";

  private TailLines() {}

  /** The line of a record of one of the three types; other records print as Avro's JSON. */
  public static String of(SpecificRecord record) {
    if (record instanceof InferenceResult result) {
      return of(result);
    }
    if (record instanceof RejectedRequest rejected) {
      return of(rejected);
    }
    if (record instanceof MetricEvent event) {
      return of(event);
    }
    if (record instanceof MetricsSnapshot snapshot) {
      return SnapshotLines.of(snapshot);
    }
    if (record instanceof Alert alert) {
      return SnapshotLines.of(alert);
    }
    if (record instanceof AuditEvent audit) {
      return of(audit);
    }
    return String.valueOf(record);
  }

  /**
   * {@code req-1  minilm/v1  OK  embedding[384] 0.042 -0.013 0.101 ...  e2e 12.3 ms  worker w-1},
   * with {@code cached} and {@code shadow} when so, the error instead of the output when not OK, and
   * {@code via <endpoint>} for a version run on remote endpoints.
   */
  public static String of(InferenceResult result) {
    List<String> parts = new ArrayList<>();
    parts.add(result.getRequestId());
    parts.add(result.getModel() + "/" + result.getModelVersion());
    parts.add(result.getStatus().name() + (result.getCached() ? " cached" : "") + (result.getShadow() ? " shadow" : ""));
    parts.add(result.getError() != null ? "error: " + result.getError() : OutputSummary.of(result.getOutput()));
    Timings timings = result.getTimings();
    if (timings != null) {
      parts.add("e2e " + millis(timings.getEndToEndMs()));
    }
    if (result.getBatchSize() > 0) {
      parts.add("batch " + result.getBatchSize());
    }
    if (result.getWorkerId() != null) {
      parts.add("worker " + result.getWorkerId());
    }
    if (result.getEndpoint() != null) {
      parts.add("via " + result.getEndpoint());
    }
    return String.join("  ", parts);
  }

  /** {@code RATE_LIMITED  stage RATE_LIMIT  request req-1  model minilm  tenant acme  detail}. */
  public static String of(RejectedRequest rejected) {
    List<String> parts = new ArrayList<>();
    parts.add(rejected.getReason().name());
    parts.add("stage " + rejected.getStage().name());
    parts.add("request " + (rejected.getRequestId() == null ? "?" : rejected.getRequestId()));
    if (rejected.getModel() != null) {
      parts.add("model " + rejected.getModel());
    }
    if (rejected.getTenant() != null) {
      parts.add("tenant " + rejected.getTenant());
    }
    parts.add(rejected.getDetail());
    return String.join("  ", parts);
  }

  /**
   * A batch: {@code BATCH  minilm/v1  batch 32  queued 3.1 ms  inference 12.0 ms  padding 1.25x
   * ok 31 error 1 expired 0  cpu  worker w-1}; a request: {@code REQUEST  minilm/v1  req-1  OK
   * queued 3.1 ms  inference 12.0 ms  e2e 20.2 ms}.
   */
  public static String of(MetricEvent event) {
    List<String> parts = new ArrayList<>();
    parts.add(event.getKind().name());
    parts.add(event.getModel() + "/" + event.getModelVersion() + (event.getShadow() ? " shadow" : ""));
    if (event.getKind() == MetricKind.BATCH) {
      parts.add("batch " + event.getBatchSize());
      parts.add("queued " + millis(event.getQueuedMs()));
      parts.add("inference " + millis(event.getInferenceMs()));
      if (event.getRealTokens() > 0) {
        parts.add(String.format(Locale.ROOT, "padding %.2fx", (double) event.getPaddedTokens() / event.getRealTokens()));
      }
      parts.add("ok " + event.getOkCount() + " error " + event.getErrorCount() + " expired " + event.getExpiredCount());
      if (event.getDevice() != null) {
        parts.add(event.getDevice());
      }
      if (event.getEndpoint() != null) {
        parts.add("via " + event.getEndpoint());
      }
    } else {
      parts.add(event.getRequestId() == null ? "?" : event.getRequestId());
      parts.add((event.getStatus() == null ? "?" : event.getStatus().name()) + (event.getCached() ? " cached" : ""));
      parts.add("queued " + millis(event.getQueuedMs()));
      parts.add("inference " + millis(event.getInferenceMs()));
      parts.add("e2e " + millis(event.getEndToEndMs()));
    }
    if (event.getWorkerId() != null) {
      parts.add("worker " + event.getWorkerId());
    }
    return String.join("  ", parts);
  }

  /**
   * {@code 2026-12-07T15:30:00.123Z  gateway-0  acme/ci  127.0.0.1  POST /v1/embeddings  200  41.2 ms  2 requests},
   * with the refusal's reason when refused and what a change did (or would have done) when the event
   * names it (the MCP tools' traffic changes: {@code minilm: v2 10 -> 100, v1 90 -> 0}).
   */
  public static String of(AuditEvent audit) {
    List<String> parts = new ArrayList<>();
    parts.add(String.valueOf(audit.getTime()));
    parts.add(audit.getGateway());
    parts.add(audit.getKeyId() == null ? "anonymous" : (audit.getTenant() == null ? "-" : audit.getTenant()) + "/" + audit.getKeyId());
    parts.add(audit.getClientAddress());
    parts.add(audit.getMethod() + " " + audit.getPath());
    parts.add(Integer.toString(audit.getStatus()));
    parts.add(millis(audit.getLatencyMs()));
    parts.add(audit.getRequestIds().size() + (audit.getRequestIds().size() == 1 ? " request" : " requests"));
    if (audit.getReason() != null) {
      parts.add(audit.getReason().equals(DRY_RUN) ? "dry run" : "refused: " + audit.getReason());
    }
    if (audit.getAction() != null) {
      parts.add(audit.getAction());
    }
    return String.join("  ", parts);
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, "%.1f ms", ms);
  }
}
