package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.schemas.topics.DeadLetterBounds;
import java.time.Instant;

/**
 * Builds the dead letter of a refused request: the reason and the stage that refused it, the
 * detail, what is known of the request (id, model, tenant, trace), the original key and value
 * bytes as read (their first bytes, flagged, when they are large: {@link DeadLetterBounds}) and
 * their source position, so an operator can find and replay the record.
 */
final class DeadLetters {
  private DeadLetters() {}

  /**
   * The dead letter for one input record.
   *
   * @param in the record, decoded or not
   * @param reason why it was refused
   * @param stage where it was refused
   * @param detail what was wrong, for a human
   * @param nowMillis the wall-clock time of the refusal
   * @return the RejectedRequest for {@code <prefix>.requests.rejected}
   */
  static RejectedRequest of(RequestRecord in, ReasonCode reason, Stage stage, String detail, long nowMillis) {
    InferenceRequest request = in.request();
    RejectedRequest.Builder rejected = RejectedRequest.newBuilder()
        .setRequestId(request == null ? null : blankToNull(request.getRequestId()))
        .setModel(request == null ? null : blankToNull(request.getModel()))
        .setTenant(request == null ? null : request.getTenant())
        .setReason(reason)
        .setStage(stage)
        .setDetail(detail)
        .setSource(in.source())
        .setRejectedAt(Instant.ofEpochMilli(nowMillis))
        .setTraceparent(in.traceparent());
    return DeadLetterBounds.bounded(rejected, in.record().key(), in.record().value());
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
