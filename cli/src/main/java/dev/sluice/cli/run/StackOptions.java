package dev.sluice.cli.run;

import dev.sluice.cli.ClusterOptions;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.StackPorts;
import dev.sluice.stack.StackSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that run the whole pipeline ({@code sluice up}, {@code sluice demo}). */
final class StackOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the local broker keeps its data and the ingress its state (default: .sluice/data, for demo a fresh temporary one).")
  Path dataDir;

  @Option(names = {"-b", "--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]",
      description = "Use this existing Kafka cluster instead of starting one (env SLUICE_BOOTSTRAP_SERVERS).")
  String bootstrapServers = System.getenv("SLUICE_BOOTSTRAP_SERVERS");

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Use this existing schema registry (env SLUICE_SCHEMA_REGISTRY_URL; default: the embedded one, or http://localhost:8081 with --bootstrap-servers).")
  String schemaRegistryUrl = System.getenv("SLUICE_SCHEMA_REGISTRY_URL");

  @Option(names = "--command-config", paramLabel = "FILE", description = "Client properties file passed to every Kafka client (TLS, SASL, ...).")
  Path commandConfig;

  @Option(names = "--host", defaultValue = "localhost", description = "Address the local broker and registry listen on.")
  String host;

  @Option(names = "--broker-port", description = "Local Kafka port; 0 picks a free one (default: 9092, for demo a free one).")
  Integer brokerPort;

  @Option(names = "--registry-port", description = "Local schema registry port; 0 picks a free one (default: 8081, for demo a free one).")
  Integer registryPort;

  @Option(names = "--ingress-port", description = "Port of the ingress's /metrics and /health; 0 picks a free one (default: 8090, for demo a free one).")
  Integer ingressPort;

  @Option(names = "--worker-port", description = "Port of the first worker's /metrics and /health, the next workers' following; 0 picks free ones (default: 8091, for demo free ones).")
  Integer workerPort;

  @Option(names = "--monitor-port", description = "Port of the monitoring application's /metrics and /health; 0 picks a free one (default: 8092, for demo a free one).")
  Integer monitorPort;

  @Option(names = "--dashboard-port", description = "Port of the live dashboard; 0 picks a free one (default: 8093, for demo a free one).")
  Integer dashboardPort;

  @Option(names = "--gateway-port", description = "Port of the HTTP gateway (OpenAI-compatible /v1); 0 picks a free one (default: 8080, for demo a free one).")
  Integer gatewayPort;

  @Option(names = "--workers", defaultValue = "1", description = "Inference workers of the bundled model.")
  int workers;

  @Option(names = "--prefix", defaultValue = "${env:SLUICE_TOPIC_PREFIX:-sluice}", description = "Topic name prefix.")
  String prefix;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the pipeline's topics, when created.")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor of the topics, when created.")
  short replicationFactor;

  @Option(names = "--min-insync-replicas", defaultValue = "1", description = "min.insync.replicas of the topics, when created.")
  int minInsyncReplicas;

  /**
   * The settings; unset ports default to the usual ones (9092, 8081, 8090, 8091, 8092, 8093, 8080), or to free ones
   * when {@code freePorts}.
   */
  StackSettings toSettings(Path defaultDataDir, boolean freePorts) {
    if (workers < 1) {
      throw new UserError("--workers must be at least 1, was " + workers);
    }
    TopicSettings topics;
    try {
      topics = new TopicSettings(partitions, replicationFactor, minInsyncReplicas, TopicSettings.DEFAULT_RETENTION_MS);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    return new StackSettings(dataDir != null ? dataDir : defaultDataDir, blankToNull(bootstrapServers), blankToNull(schemaRegistryUrl),
        ClusterOptions.commandConfig(commandConfig), host, new StackPorts(port(brokerPort, 9092, freePorts), port(registryPort, 8081, freePorts),
        port(ingressPort, 8090, freePorts), port(workerPort, 8091, freePorts), port(monitorPort, 8092, freePorts),
        port(dashboardPort, 8093, freePorts), port(gatewayPort, 8080, freePorts)), prefix, topics, workers);
  }

  private static int port(Integer given, int usual, boolean freePorts) {
    return given != null ? given : freePorts ? 0 : usual;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
