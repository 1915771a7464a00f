package dev.sluice.gateway;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.RejectedRequest;

/** The outcome of one request, as its reply partition told it. */
public sealed interface Reply {

  /** A result (OK, ERROR or EXPIRED), from a worker or the ingress's result cache. */
  record Result(InferenceResult result) implements Reply {}

  /** A dead letter: the ingress or a worker refused the request. */
  record Rejected(RejectedRequest rejection) implements Reply {}

  /** The ingress dropped the request as a retry of an idempotency key it already holds. */
  record Duplicate() implements Reply {}
}
