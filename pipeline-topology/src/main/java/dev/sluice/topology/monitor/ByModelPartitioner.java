package dev.sluice.topology.monitor;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions the monitor's repartition topic by model only (the part of the {@code model/version}
 * key before the slash), so every version of a model is aggregated in one task and the latency
 * rule can compare sibling versions without another repartition. A wall-clock tick
 * ({@link WallClockTicks}) goes to every partition.
 */
final class ByModelPartitioner implements StreamPartitioner<String, WindowAggregate> {
  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, WindowAggregate value, int numPartitions) {
    if (MonitorKeys.TICK.equals(key)) {
      return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }
    byte[] model = MonitorKeys.model(key).getBytes(StandardCharsets.UTF_8);
    return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(model)) % numPartitions));
  }
}
