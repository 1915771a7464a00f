package dev.sluice.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.cli.Sluice;
import dev.sluice.mcp.McpOptions;
import dev.sluice.mcp.RetriedSends;
import dev.sluice.mcp.SluiceMcp;
import dev.sluice.platform.UserError;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice mcp}: the MCP server on stdio, for a desktop assistant that starts it. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    header = "Serve the pipeline's tools to an AI assistant over the Model Context Protocol (stdio).",
    description = {"Run an MCP server on standard input and output, as desktop assistants start their tools: pipeline_status,",
        "models_list, metrics, alerts, rejections, embed, set_traffic and rollback, and the contracts, topics and reason codes",
        "as resources. It reads Kafka and the schema registry at each call; set_traffic and rollback change traffic only with",
        "--allow-writes (a dry run never writes) and are audited on <prefix>.audit. Logs go to stderr. Ends when the",
        "assistant closes standard input."})
public final class McpCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;
  @Mixin PrefixOption prefix;

  @Option(names = "--allow-writes", description = "Let set_traffic and rollback change the model registry (without it they only do dry runs).")
  boolean allowWrites;

  @Option(names = "--health", paramLabel = "NAME=URL", showDefaultValue = CommandLine.Help.Visibility.NEVER,
      description = "A component's /health/ready URL for pipeline_status, e.g. ingress=http://localhost:8090/health/ready (repeatable).")
  Map<String, URI> health = new LinkedHashMap<>();

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "sluice-ingress",
      description = "The ingress's application id, whose consumer group pipeline_status reports.")
  String ingressGroup;

  @Option(names = "--embed-timeout-ms", paramLabel = "MS", defaultValue = "30000", description = "How long embed waits for its result.")
  long embedTimeoutMs;

  @Override
  public Integer call() throws InterruptedException {
    McpOptions options = new McpOptions(allowWrites, ingressGroup, health, Duration.ofMillis(embedTimeoutMs), McpOptions.STDIO_SWITCH);
    CountDownLatch inputClosed = new CountDownLatch(1);
    try (SluiceMcp mcp = SluiceMcp.open(cluster.clientProperties(), prefix.topics(), cluster.schemaRegistryUrl(), options, "stdio",
        version())) {
      StdioServerTransportProvider stdio = new StdioServerTransportProvider(new JacksonMcpJsonMapper(new ObjectMapper()),
          new SignalsEnd(System.in, inputClosed), System.out);
      McpSyncServer server = mcp.serve(new RetriedSends(stdio));
      Thread stop = new Thread(inputClosed::countDown, "sluice-mcp-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      inputClosed.await();
      server.closeGracefully();
    } catch (KafkaException e) {
      throw new UserError("cannot reach Kafka at " + cluster.bootstrapServers() + ": " + e.getMessage(), e);
    }
    return 0;
  }

  private static String version() {
    String version = Sluice.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /** Standard input that counts a latch down when it ends. */
  private static final class SignalsEnd extends FilterInputStream {
    private final CountDownLatch ended;

    SignalsEnd(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      return ended(super.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return ended(super.read(buffer, offset, length));
    }

    private int ended(int read) {
      if (read < 0) {
        ended.countDown();
      }
      return read;
    }
  }
}
