package dev.sluice.worker;

import dev.sluice.platform.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * What the worker loop takes from its surroundings besides Kafka and the models.
 *
 * @param clock arrival, deadline and timing measurements; a tests' clock moves by hand
 * @param meters where the worker's meters go
 * @param sleeper waits out retry backoffs
 * @param inferenceThread whether flushes are answered on a thread of their own, overlapping the
 *     loop's polling and the previous flush's commit (true in service); false answers them inline on
 *     the loop's thread, which tests that step the loop turn by turn rely on
 * @param tracing the process's tracing: each request's spans ({@link RequestSpans})
 */
public record WorkerEnvironment(Clock clock, MeterRegistry meters, Sleeper sleeper, boolean inferenceThread, Tracing tracing) {
  public WorkerEnvironment {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(tracing, "tracing");
  }

  /** Without tracing: results carry the trace context their requests came with. */
  public WorkerEnvironment(Clock clock, MeterRegistry meters, Sleeper sleeper, boolean inferenceThread) {
    this(clock, meters, sleeper, inferenceThread, Tracing.off());
  }

  /** The system clock, real waits and an inference thread, without tracing. */
  public static WorkerEnvironment system(MeterRegistry meters) {
    return system(meters, Tracing.off());
  }

  /** The system clock, real waits, an inference thread and the process's tracing. */
  public static WorkerEnvironment system(MeterRegistry meters, Tracing tracing) {
    return new WorkerEnvironment(Clock.systemUTC(), meters, Sleeper.system(), true, tracing);
  }
}
