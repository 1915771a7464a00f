package dev.sluice.cli.run;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every component command ({@code ingress}, {@code monitor}, {@code worker}) shares. */
final class ComponentOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (keys in the README).")
  Path config;

  @Option(names = {"-b", "--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (default localhost:9092).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Schema registry URL (default http://localhost:8081).")
  String schemaRegistryUrl;

  @Option(names = "--prefix", description = "Topic name prefix (default sluice).")
  String prefix;

  /** The file, the environment (e.g. {@code System.getenv()}), then these flags. */
  ComponentSettings settings(Map<String, String> environment) {
    return new ComponentSettings(config, environment)
        .flag("bootstrap.servers", bootstrapServers)
        .flag("schema.registry.url", schemaRegistryUrl)
        .flag("topic.prefix", prefix);
  }

  /** As {@link #settings}, with local state under {@code .sluice/state/<name>} unless set. */
  ComponentSettings settingsWithState(String name, Map<String, String> environment) {
    return settings(environment).orDefault("state.dir", Path.of(".sluice", "state", name).toString());
  }
}
