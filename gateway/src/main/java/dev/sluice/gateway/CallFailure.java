package dev.sluice.gateway;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Status;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Why one input of a call got no output, whatever API it came through: the status, a stable code
 * and a message that says what happened, classified from its reply (or from why there was none).
 * Each API renders it in its own error shape.
 *
 * @param status the HTTP status
 * @param code a stable code: a dead letter's reason code, or the gateway's own
 * @param message what happened and what to do
 * @param retryAfterSeconds for 429, when to try again; else 0
 */
record CallFailure(int status, String code, String message, long retryAfterSeconds) {

  /** The failure a reply stands for, or empty for an OK result. */
  static Optional<CallFailure> of(Reply reply) {
    if (reply instanceof Reply.Result r) {
      InferenceResult result = r.result();
      if (result.getStatus() == Status.OK) {
        return Optional.empty();
      }
      if (result.getStatus() == Status.EXPIRED) {
        return Optional.of(new CallFailure(504, "deadline_exceeded", "the deadline passed before the model ran: " + result.getError(), 0));
      }
      return Optional.of(new CallFailure(422, "inference_failed", "the model failed on this input: " + result.getError(), 0));
    }
    if (reply instanceof Reply.Rejected r) {
      return Optional.of(rejected(r.rejection()));
    }
    return Optional.of(new CallFailure(409, "duplicate_request",
        "a request with this Idempotency-Key was already accepted; its outcome went to the call that sent it first", 0));
  }

  /** The failure of a reply that never came: its deadline passed, or the request could not be sent or read back. */
  static CallFailure of(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return new CallFailure(504, "deadline_exceeded", "no outcome before the deadline; the request may still complete on Kafka", 0);
    }
    return new CallFailure(503, "unavailable", "the pipeline cannot take requests now: " + cause.getMessage(), 0);
  }

  private static CallFailure rejected(RejectedRequest rejection) {
    ReasonCode reason = rejection.getReason();
    String detail = rejection.getDetail();
    return switch (reason) {
      case UNKNOWN_MODEL -> new CallFailure(404, reason.name(), detail, 0);
      case PAYLOAD_TOO_LARGE -> new CallFailure(413, reason.name(), detail, 0);
      case EXPIRED -> new CallFailure(504, reason.name(), detail, 0);
      case RATE_LIMITED -> new CallFailure(429, reason.name(), detail,
          rejection.getRetryAfterMs() == null ? 1 : Math.max(1, (rejection.getRetryAfterMs() + 999) / 1000));
      default -> new CallFailure(422, reason.name(), detail, 0);
    };
  }
}
