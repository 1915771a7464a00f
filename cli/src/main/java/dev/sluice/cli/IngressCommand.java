package dev.sluice.cli;

import dev.sluice.topology.ingress.IngressApp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice ingress}: the ingress topology against an existing cluster, until SIGTERM or Ctrl-C. */
@Command(name = "ingress", mixinStandardHelpOptions = true,
    description = {"Run the ingress Kafka Streams application: validate, normalize, de-duplicate and route requests.",
        "Settings come from --config (a properties file), then SLUICE_* environment variables, then these flags;",
        "without any, it joins the local stack of ./sluice up or ./sluice broker (localhost:9092, http://localhost:8081)."})
final class IngressCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Ingress properties file (keys in the README).")
  Path config;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (default localhost:9092).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL", description = "Schema registry URL (default http://localhost:8081).")
  String schemaRegistryUrl;

  @Option(names = "--prefix", description = "Topic name prefix (default sluice).")
  String prefix;

  @Override
  public Integer call() throws IOException, InterruptedException {
    return IngressApp.run(new ComponentSettings(config)
        .flag("bootstrap.servers", bootstrapServers)
        .flag("schema.registry.url", schemaRegistryUrl)
        .flag("topic.prefix", prefix)
        .orDefault("state.dir", Path.of(".sluice", "state", "ingress").toString())
        .toMap());
  }
}
