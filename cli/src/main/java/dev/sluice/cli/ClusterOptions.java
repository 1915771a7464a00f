package dev.sluice.cli;

import dev.sluice.platform.UserError;
import dev.sluice.schemas.config.ConfigSources;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are, shared by every command that talks to them. */
public final class ClusterOptions {
  @Option(names = {"-b", "--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]", defaultValue = "${env:SLUICE_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka bootstrap servers (env SLUICE_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL", defaultValue = "${env:SLUICE_SCHEMA_REGISTRY_URL:-http://localhost:8081}",
      description = "Schema registry URL (env SLUICE_SCHEMA_REGISTRY_URL).")
  String schemaRegistryUrl;

  @Option(names = "--command-config", paramLabel = "FILE",
      description = "Client properties file passed to every Kafka client (TLS, SASL, ...).")
  Path commandConfig;

  /** Bootstrap servers. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Schema registry URL. */
  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /**
   * Client properties for every Kafka client: the properties file, then {@code SLUICE_KAFKA_<NAME>}
   * environment variables (as for the components, so a pod's credentials reach these commands
   * too), then the bootstrap servers.
   */
  public Map<String, Object> clientProperties() {
    return clientProperties(System.getenv());
  }

  /** As {@link #clientProperties()}, with this environment. */
  Map<String, Object> clientProperties(Map<String, String> environment) {
    Map<String, Object> props = commandConfig(commandConfig);
    props.putAll(ConfigSources.kafkaClientKeys(environment));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** The client properties of a {@code --command-config} file; empty for null. */
  public static Map<String, Object> commandConfig(Path commandConfig) {
    Map<String, Object> props = new HashMap<>();
    if (commandConfig != null) {
      Properties file = new Properties();
      try (Reader reader = Files.newBufferedReader(commandConfig)) {
        file.load(reader);
      } catch (IOException e) {
        throw new UserError("cannot read --command-config " + commandConfig + ": " + e.getMessage());
      }
      file.forEach((k, v) -> props.put(k.toString(), v));
    }
    return props;
  }
}
