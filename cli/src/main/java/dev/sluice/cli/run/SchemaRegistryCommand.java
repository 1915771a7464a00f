package dev.sluice.cli.run;

import dev.sluice.cli.ClusterOptions;
import dev.sluice.platform.SettingFlags;
import dev.sluice.platform.UserError;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import dev.sluice.schemaregistry.RegistryConfigException;
import dev.sluice.schemaregistry.RegistryPortInUseException;
import dev.sluice.schemaregistry.RegistryStartupException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice registry}: the Confluent-compatible schema registry against an existing cluster, until SIGTERM or Ctrl-C. */
@Command(name = "registry",
    header = "Run the schema registry (Confluent REST API) on an existing Kafka cluster.",
    mixinStandardHelpOptions = true,
    description = {"Run the schema registry (Confluent REST API v1) against an existing Kafka cluster, storing its schemas",
        "in the compacted _schemas topic, until SIGTERM or Ctrl-C. One instance writes; run one per cluster."})
public final class SchemaRegistryCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--host", defaultValue = "localhost", description = "Address to listen on (0.0.0.0 for all).")
  String host;

  @Option(names = "--port", defaultValue = "8081", description = "HTTP port; 0 picks a free one.")
  int port;

  @Option(names = "--topic", defaultValue = EmbeddedSchemaRegistryConfig.DEFAULT_TOPIC, description = "Schemas topic.")
  String topic;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> client = new TreeMap<>();
    cluster.clientProperties().forEach((k, v) -> {
      if (!k.equals("bootstrap.servers")) {
        client.put(k, String.valueOf(v));
      }
    });
    EmbeddedSchemaRegistryConfig config = EmbeddedSchemaRegistryConfig.defaults(cluster.bootstrapServers()).withHost(host).withPort(port)
        .withTopic(topic).withClientProperties(client);
    EmbeddedSchemaRegistry registry;
    try {
      registry = EmbeddedSchemaRegistry.start(config);
    } catch (RegistryPortInUseException | RegistryConfigException e) {
      throw new UserError(SettingFlags.rename(e.getMessage(), Map.of(EmbeddedSchemaRegistryConfig.PORT, "--port")), e);
    } catch (RegistryStartupException e) {
      throw new UserError("the schema registry could not start on Kafka at " + cluster.bootstrapServers() + ": " + e.getMessage()
          + " (is Kafka running? pass --bootstrap-servers, and --command-config for TLS/SASL)", e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        registry.close();
      } finally {
        stopped.countDown();
      }
    }, "sluice-registry-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Schema registry URL : %s%nKafka               : %s (topic %s)%nHealth              : %s/subjects%n%nPress Ctrl-C to stop.%n",
        registry.url(), cluster.bootstrapServers(), topic, registry.url());
    out.flush();
    stopped.await();
    return 0;
  }
}
