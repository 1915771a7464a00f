package dev.sluice.bench;

import java.time.Instant;
import java.util.Map;

/**
 * What one timed run measured.
 *
 * @param name the topology's name
 * @param startedAt wall-clock time of {@code KafkaStreams.start()}, to line the run up with other
 *     monitoring of the machine
 * @param records requests the run had to process
 * @param elapsedNanos from {@code KafkaStreams.start()} until the outcomes counted reached
 *     {@code records}
 * @param firstOutputNanos from start until the first outcome was counted
 * @param offsetsCommitted whether the application's group then had committed offsets at the end
 *     of every input partition
 * @param outputs records on each output topic after the application was closed
 */
record PassMeasurement(String name, Instant startedAt, long records, long elapsedNanos, long firstOutputNanos, boolean offsetsCommitted, Map<String, Long> outputs) {
  PassMeasurement {
    outputs = Map.copyOf(outputs);
  }

  double seconds() {
    return elapsedNanos / 1e9;
  }

  double recordsPerSecond() {
    return records / seconds();
  }

  double firstOutputSeconds() {
    return firstOutputNanos / 1e9;
  }
}
