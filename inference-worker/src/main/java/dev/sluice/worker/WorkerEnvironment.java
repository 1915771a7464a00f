package dev.sluice.worker;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * What the worker loop takes from its surroundings besides Kafka and the models.
 *
 * @param clock arrival, deadline and timing measurements; a tests' clock moves by hand
 * @param meters where the worker's meters go
 * @param sleeper waits out retry backoffs
 */
public record WorkerEnvironment(Clock clock, MeterRegistry meters, Sleeper sleeper) {
  public WorkerEnvironment {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** The system clock and real waits. */
  public static WorkerEnvironment system(MeterRegistry meters) {
    return new WorkerEnvironment(Clock.systemUTC(), meters, Sleeper.system());
  }
}
