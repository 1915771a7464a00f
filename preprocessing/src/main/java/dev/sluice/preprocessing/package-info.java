/**
 * Sluice's ingress logic as pure functions and values: request validation, input normalization,
 * content and dedup keys, token-bucket rate-limit arithmetic and model-version routing.
 *
 * <p>Nothing here touches Kafka or keeps mutable static state; every decision about a request is
 * returned as an {@link dev.sluice.preprocessing.Outcome}, either accepted with a value or
 * rejected with a {@link dev.sluice.avro.ReasonCode} and a detail saying what was wrong and where.
 * Time enters only through an injected {@link java.time.Clock} or explicit millisecond arguments,
 * so every decision is reproducible in tests.
 */
package dev.sluice.preprocessing;
