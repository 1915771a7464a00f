package dev.sluice.loadgen;

import java.time.Duration;
import java.util.Objects;

/**
 * What one bench run does.
 *
 * @param model model every request names
 * @param tenant tenant of every request, or null for the default tenant
 * @param mode open loop at a rate, or closed loop with a concurrency
 * @param length how long the measured phase lasts (after the warmup)
 * @param warmup requests sent first and left out of the figures ({@link Span#NONE} for none)
 * @param texts what the requests say
 * @param timeout how long to wait at the end for the outcomes of outstanding requests (and, in
 *     closed loop, for a free slot before giving up)
 */
public record BenchSettings(String model, String tenant, LoadMode mode, Span length, Span warmup, TextPlan texts, Duration timeout) {
  public BenchSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(timeout, "timeout");
    if (length.isEmpty()) {
      throw new IllegalArgumentException("the bench must send at least one request: give a positive --count or --duration");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
    }
  }
}
