package dev.sluice.gateway;

import java.time.Duration;
import java.time.Instant;

/**
 * What an HTTP call says about its requests beyond its body.
 *
 * @param caller who called (anonymous: key id and tenant null)
 * @param deadline when the answer stops being useful: the request's {@code deadline}
 * @param timeout from now to the deadline
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param traceparent the W3C {@code traceparent} header, or null
 */
record CallOptions(ApiKeys.Caller caller, Instant deadline, Duration timeout, String idempotencyKey, String traceparent) {}
