package dev.sluice.bench;

import dev.sluice.avro.InferenceRequest;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The baseline the ingress is measured against: reads each request with the Avro serde of
 * InferenceRequest (registry lookup, wire-format decode) and writes it unchanged with the same
 * serde (wire-format encode), keys as bytes. One sub-topology, no state, no repartition.
 */
final class PassThroughTopology {
  private PassThroughTopology() {}

  /**
   * Builds the topology.
   *
   * @param requests the input topic
   * @param output the output topic
   * @param serde the InferenceRequest value serde for both ends
   */
  static Topology build(String requests, String output, Serde<InferenceRequest> serde) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(requests, Consumed.with(Serdes.ByteArray(), serde).withName("requests-source"))
        .to(output, Produced.with(Serdes.ByteArray(), serde).withName("passthrough-sink"));
    return builder.build();
  }
}
