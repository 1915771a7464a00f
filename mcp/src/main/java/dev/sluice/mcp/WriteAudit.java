package dev.sluice.mcp;

import dev.sluice.avro.AuditEvent;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerializer;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of the calls that change the pipeline: one {@link AuditEvent} per
 * {@code set_traffic} or {@code rollback} call, allowed, refused or a dry run, on
 * {@code <prefix>.audit} beside the HTTP gateway's (gateway {@value #SOURCE}, method
 * {@code tools/call}, the tool as the path, what it changed or would have changed as the action,
 * the MCP client's name and version as the user agent), and a log line. Over HTTP the transport
 * context names the caller ({@link SluiceMcp#TENANT}, {@link SluiceMcp#KEY_ID}, {@link SluiceMcp#CLIENT_ADDRESS}: the
 * gateway's API key and the caller's address); over stdio the server's own address stands. The
 * event is sent and waited for: a change whose audit cannot be written is reported as a failed call.
 */
final class WriteAudit implements AutoCloseable {
  static final String SOURCE = "mcp";
  private static final Logger LOG = LoggerFactory.getLogger(WriteAudit.class);
  private static final Duration SEND = Duration.ofSeconds(15);

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer<Object> avro;
  private final String topic;
  private final String clientAddress;
  private final Clock clock;

  /**
   * @param clientAddress how the callers reach this server, e.g. {@code stdio}
   */
  WriteAudit(Map<String, Object> clientProperties, SchemaRegistryClient registry, String topic, String clientAddress, Clock clock) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-mcp-audit");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.avro = new AvroSerializer<>(registry);
    this.topic = topic;
    this.clientAddress = clientAddress;
    this.clock = clock;
  }

  /**
   * Records one call.
   *
   * @param status 200 served (or a dry run), 400 an impossible change, 403 writes not allowed, 404 no such model
   * @param reason the refusal's code, {@code dry_run}, or null when a change was served
   * @param action what the call changed or would have changed; null when nothing was planned
   * @param startedNanos {@link System#nanoTime()} when the call arrived
   */
  void record(String tool, McpSyncServerExchange exchange, int status, String reason, String action, long startedNanos)
      throws InterruptedException {
    Implementation client = exchange == null ? null : exchange.getClientInfo();
    String agent = client == null ? null : client.name() + "/" + client.version();
    McpTransportContext context = exchange == null ? null : exchange.transportContext();
    String address = Objects.requireNonNullElse(text(context, SluiceMcp.CLIENT_ADDRESS), clientAddress);
    AuditEvent event = AuditEvent.newBuilder().setTime(clock.instant()).setGateway(SOURCE).setClientAddress(address)
        .setTenant(text(context, SluiceMcp.TENANT)).setKeyId(text(context, SluiceMcp.KEY_ID))
        .setMethod("tools/call").setPath(tool).setStatus(status).setLatencyMs((System.nanoTime() - startedNanos) / 1e6)
        .setRequestIds(List.of()).setReason(reason).setUserAgent(agent).setAction(action).build();
    LOG.info("MCP {} from {} ({}): status {}{}{}", tool, agent, address, status, reason == null ? "" : " " + reason,
        action == null ? "" : ", " + action);
    try {
      producer.send(new ProducerRecord<>(topic, avro.serialize(topic, event))).get(SEND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not write the audit event of " + tool + " to " + topic + ": " + e.getMessage(), e);
    }
  }

  private static String text(McpTransportContext context, String key) {
    return context != null && context.get(key) instanceof String value ? value : null;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
