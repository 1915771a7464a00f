package dev.sluice.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings both topologies share, so they differ only in their topology:
 * {@code exactly_once_v2}, the same stream threads and commit interval, state under one root.
 *
 * @param bootstrapServers the cluster
 * @param threads {@code num.stream.threads}
 * @param commitIntervalMs {@code commit.interval.ms}
 * @param stateRoot the {@code state.dir} of every application
 */
record StreamsSettings(String bootstrapServers, int threads, long commitIntervalMs, Path stateRoot) {
  /** The shared settings for one application id, as strings (the ingress parses them). */
  Map<String, String> forApplication(String applicationId) {
    Map<String, String> properties = new HashMap<>();
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
    properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.toString());
    return properties;
  }
}
