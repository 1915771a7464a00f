package dev.sluice.bench;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * One timed run of a Kafka Streams application over the requests already on its input topic.
 *
 * @param name the topology's name in the report
 * @param topology the topology
 * @param properties its Streams properties; {@code application.id} names the consumer group
 * @param inputTopic the topic whose committed offsets are checked after the run
 * @param expected how many outcomes mark the run complete (the number of requests)
 * @param timeout bound on the run
 */
record PassSpec(String name, Topology topology, Properties properties, String inputTopic, long expected, Duration timeout) {
  /** The application id, which is also the consumer group. */
  String applicationId() {
    return properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
  }
}
