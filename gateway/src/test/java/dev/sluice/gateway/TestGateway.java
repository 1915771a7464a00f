package dev.sluice.gateway;

import dev.sluice.avro.AuditEvent;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.server.McpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jetty.server.Handler;

/**
 * A gateway's HTTP server for the tests of its HTTP layer: the real Jetty server and handlers over
 * a {@link FakePipeline} (and /mcp with an MCP server without tools), meters in memory, and the
 * audit trail written to a mock producer.
 */
final class TestGateway implements AutoCloseable {
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final GatewayConfig config;
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final GatewayServer server;

  TestGateway(FakePipeline pipeline, Map<String, String> settings) throws Exception {
    this(pipeline, settings, Tracing.off());
  }

  TestGateway(FakePipeline pipeline, Map<String, String> settings, Tracing tracing) throws Exception {
    Map<String, String> props = new HashMap<>(Map.of("bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused:8081"));
    props.putAll(settings);
    config = GatewayConfig.parse(props);
    GatewayMetrics metrics = new GatewayMetrics(() -> 0, () -> 0, () -> 0);
    metrics.bindTo(meters);
    AuditTrail audit = new AuditTrail(producer, new AvroSerializer<>(registry), config.topics().audit(), "gateway-test");
    // /mcp with the SDK's server and no tools: what the endpoint does around the tools (keys, origins, audit, meters)
    McpEndpoint mcp = new McpEndpoint(config, transport -> McpServer.sync(transport).serverInfo("gateway-test", "0").build(), audit, metrics);
    server = GatewayServer.start("127.0.0.1", 0, config.tls(), config.allowedOrigins(), config.shutdownTimeout(),
        new TracedCalls(tracing, new Handler.Sequence(mcp, new GatewayHandler(config, pipeline, () -> true, metrics, audit))));
  }

  int port() {
    return server.port();
  }

  /** The audit events written so far. */
  List<AuditEvent> audit() {
    AvroDeserializer<AuditEvent> reader = new AvroDeserializer<>(AuditEvent.class, registry);
    return producer.history().stream().map(r -> reader.deserialize(r.topic(), r.value())).toList();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
