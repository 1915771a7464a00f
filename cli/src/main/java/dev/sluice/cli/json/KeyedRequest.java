package dev.sluice.cli.json;

import dev.sluice.avro.InferenceRequest;

/**
 * A request and the record key to produce it under.
 *
 * @param key the record key: the idempotency key when the request has one, else its request id,
 *     so a retry of the same request lands on the partition that remembers its idempotency key
 * @param request the request
 */
public record KeyedRequest(String key, InferenceRequest request) {
  /** The record key a request is produced under: its idempotency key when given, else its request id. */
  public static KeyedRequest of(InferenceRequest request) {
    String idempotencyKey = request.getIdempotencyKey();
    return new KeyedRequest(idempotencyKey != null ? idempotencyKey : request.getRequestId(), request);
  }
}
