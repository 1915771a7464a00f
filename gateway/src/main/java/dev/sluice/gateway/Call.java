package dev.sluice.gateway;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One API call's inputs as pipeline requests, whatever API it came through: a request per input
 * (a fresh id each; the caller's tenant, deadline and trace; the idempotency key suffixed with the
 * input's index), sent together; its outcome is every input's result in order, or the first input
 * without an output and why.
 */
final class Call {
  private Call() {}

  /** What a call came to: every result in input order, or the first failed input; and the requests it sent. */
  record Outcome(List<String> requestIds, List<InferenceResult> results, int failedIndex, CallFailure failure) {
    boolean failed() {
      return failure != null;
    }
  }

  /** Sends the inputs ({@code TextInput}s or {@code TensorInput}s) and completes with the call's outcome. */
  static CompletableFuture<Outcome> send(Pipeline pipeline, String model, String version, List<Object> inputs, Map<String, String> attributes,
      CallOptions options) {
    Instant now = Instant.now();
    List<InferenceRequest> requests = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      requests.add(InferenceRequest.newBuilder().setRequestId(UUID.randomUUID().toString()).setModel(model).setModelVersion(version)
          .setTenant(options.caller().tenant()).setInput(inputs.get(i)).setCreatedAt(now).setDeadline(options.deadline())
          .setIdempotencyKey(options.idempotencyKey() == null ? null : options.idempotencyKey() + "#" + i)
          .setTraceparent(options.traceparent()).setAttributes(attributes).build());
    }
    List<CompletableFuture<Reply>> replies = pipeline.send(requests, options.timeout());
    List<String> ids = requests.stream().map(InferenceRequest::getRequestId).toList();
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> outcome(ids, replies));
  }

  private static Outcome outcome(List<String> ids, List<CompletableFuture<Reply>> replies) {
    List<InferenceResult> results = new ArrayList<>(replies.size());
    for (int i = 0; i < replies.size(); i++) {
      Reply reply;
      try {
        reply = replies.get(i).join();
      } catch (RuntimeException e) {
        return new Outcome(ids, results, i, CallFailure.of(e));
      }
      Optional<CallFailure> failure = CallFailure.of(reply);
      if (failure.isPresent()) {
        return new Outcome(ids, results, i, failure.get());
      }
      results.add(((Reply.Result) reply).result());
    }
    return new Outcome(ids, results, -1, null);
  }
}
