package dev.sluice.cli.run;

import dev.sluice.cli.schemas.SchemasCommand;
import dev.sluice.cli.topics.TopicOptions;
import dev.sluice.cli.topics.TopicsCommand;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.topics.SubjectProvisioner;
import dev.sluice.platform.topics.TopicProvisioner;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.stack.LocalStack;
import dev.sluice.stack.LocalStackLauncher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice broker}: a local Kafka broker and schema registry in the foreground until Ctrl-C. */
@Command(name = "broker",
    header = "Run a Kafka broker (KRaft) and a schema registry in this process.",
    mixinStandardHelpOptions = true,
    description = {"Run a real Apache Kafka broker (KRaft) and a Confluent-compatible schema registry in this process,",
        "with data on disk, until Ctrl-C. A second run on the same --data-dir resumes with the same data."})
public final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:SLUICE_DATA_DIR:-.sluice/data}",
      description = "Where the broker keeps its data.")
  Path dataDir;

  @Option(names = "--host", defaultValue = "localhost", description = "Address to listen on.")
  String host;

  @Option(names = "--broker-port", defaultValue = "9092", description = "Kafka client port; 0 picks a free one.")
  int brokerPort;

  @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port; 0 picks a free one.")
  int registryPort;

  @Option(names = "--no-topics", description = "Do not create the pipeline's topics or register their value schemas.")
  boolean noTopics;

  @Mixin TopicOptions topics;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Path log = LogFile.divert(dataDir.resolve("logs").resolve("sluice.log"));
    out.printf("Starting Kafka (KRaft) with data in %s (logs in %s) ...%n", dataDir.toAbsolutePath(), log);
    out.flush();
    LocalStack stack = start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stack.close();
      } finally {
        stopped.countDown();
      }
    }, "sluice-broker-shutdown"));
    if (!noTopics) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
        TopicsCommand.print(out, new TopicProvisioner(admin, KafkaAdmins.TIMEOUT).ensure(topics.specs()));
      }
      try (SchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(stack.schemaRegistryUrl()))) {
        SchemasCommand.print(out, new SubjectProvisioner(registry).ensure(topics.topics().valueContracts(topics.models())));
      }
    }
    out.printf("%nKafka bootstrap servers : %s%nSchema registry URL     : %s%nData directory          : %s%n%nPress Ctrl-C to stop.%n",
        stack.bootstrapServers(), stack.schemaRegistryUrl(), dataDir.toAbsolutePath());
    out.flush();
    stopped.await();
    return 0;
  }

  private LocalStack start() {
    return LocalStackLauncher.start(dataDir, host, brokerPort, registryPort);
  }
}
