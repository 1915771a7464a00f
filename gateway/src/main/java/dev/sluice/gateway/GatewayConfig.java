package dev.sluice.gateway;

import dev.sluice.mcp.SluiceMcp;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The HTTP gateway's configuration, read by {@link #parse} from {@code gateway.*} keys (or
 * {@code SLUICE_GATEWAY_*} variables) plus the cluster and Kafka client keys every component reads.
 *
 * @param bootstrap Kafka's bootstrap servers
 * @param registry the schema registry client settings
 * @param topics the pipeline's topic names
 * @param host the address the API listens on
 * @param port the API's port (0: a free one)
 * @param opsPort the port of /metrics and /health/* (0: a free one)
 * @param replyPartition the partition of the replies topic this instance owns
 * @param defaultTimeout the deadline given to a call that names none
 * @param maxTimeout the longest deadline a caller may ask for
 * @param maxBodyBytes the largest request body accepted
 * @param maxInputs the most inputs one call may carry
 * @param apiKeys the API keys and their tenants
 * @param allowAnonymous whether calls without a key are served (as the default tenant)
 * @param allowedOrigins the browser origins CORS lets call the API ({@code *} only when configured); none by default
 * @param tls the HTTPS settings, or null for plain HTTP
 * @param shutdownTimeout how long a stopping gateway keeps answering the calls it holds (new calls get 503 meanwhile)
 * @param mcp how the MCP server at {@code /mcp} behaves
 * @param clientProperties every property given, for the Kafka clients (TLS and SASL keys included)
 */
public record GatewayConfig(String bootstrap, SchemaRegistryClientConfig registry, PipelineTopics topics, String host, int port,
    int opsPort, int replyPartition, Duration defaultTimeout, Duration maxTimeout, int maxBodyBytes, int maxInputs, ApiKeys apiKeys,
    boolean allowAnonymous, List<String> allowedOrigins, GatewayTls tls, Duration shutdownTimeout, Mcp mcp, Map<String, String> clientProperties) {

  public static final String HOST = "gateway.host";
  public static final String PORT = "gateway.port";
  public static final String OPS_PORT = "gateway.ops.port";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_OPS_PORT = 8094;
  public static final String REPLY_PARTITION = "gateway.reply.partition";
  public static final String TIMEOUT_MS = "gateway.timeout.ms";
  public static final String MAX_TIMEOUT_MS = "gateway.timeout.max.ms";
  public static final String MAX_BODY_BYTES = "gateway.max.body.bytes";
  public static final String MAX_INPUTS = "gateway.max.inputs";
  /** Key entries inline: {@code <key id>:<tenant>:sha256:<hex>}, comma-separated (e.g. from SLUICE_GATEWAY_API_KEYS). */
  public static final String API_KEYS = "gateway.api.keys";
  /** A file of key entries, one per line. */
  public static final String API_KEYS_FILE = "gateway.api.keys.file";
  public static final String ALLOW_ANONYMOUS = "gateway.allow.anonymous";
  /** Origins allowed by CORS, comma-separated ({@code SLUICE_GATEWAY_ALLOWED_ORIGINS}). */
  public static final String ALLOWED_ORIGINS = "gateway.allowed.origins";
  /** Plain HTTP beyond loopback, which is refused unless this is true. */
  public static final String ALLOW_PLAINTEXT = "gateway.allow.plaintext";
  /** How long a stopping gateway drains the calls it holds before it closes their connections. */
  public static final String SHUTDOWN_TIMEOUT_MS = "gateway.shutdown.timeout.ms";
  /** Whether the MCP tools at /mcp may change traffic (set_traffic, rollback); dry runs are always allowed. */
  public static final String MCP_ALLOW_WRITES = "gateway.mcp.allow.writes";
  /** The ingress's application id, whose consumer group the MCP tool pipeline_status reports. */
  public static final String MCP_INGRESS_APPLICATION_ID = "gateway.mcp.ingress.application.id";
  /** Other components' {@code /health/ready} URLs the MCP tool pipeline_status asks, as {@code name=url,...}. */
  public static final String MCP_HEALTH_URLS = "gateway.mcp.health.urls";

  /**
   * The MCP server the gateway hosts at {@code /mcp}.
   *
   * @param allowWrites whether set_traffic and rollback may write the model registry (default false)
   * @param ingressGroup the ingress's application id (default {@code <prefix>-ingress}, as the stack and the manifests name it)
   * @param healthUrls other components' health URLs by name, for pipeline_status (the gateway's own is always asked)
   */
  public record Mcp(boolean allowWrites, String ingressGroup, Map<String, URI> healthUrls) {
    public Mcp {
      healthUrls = Map.copyOf(healthUrls);
    }
  }

  /** Reads the configuration, reporting every problem at once in Kafka's shape. */
  public static GatewayConfig parse(Map<String, String> properties) {
    return new GatewayConfigReader(properties).read();
  }

  /**
   * The topics the gateway reads: its partition of the replies, the model registry, and what the
   * MCP tools at {@code /mcp} read ({@link SluiceMcp#topicsRead}: load states, snapshots, alerts,
   * dead letters, results).
   */
  public List<String> topicsRead() {
    Set<String> read = new LinkedHashSet<>(List.of(topics.replies(), topics.models()));
    read.addAll(SluiceMcp.topicsRead(topics));
    return List.copyOf(read);
  }

  /**
   * The topics the gateway writes: the requests, the audit trail, and the model registry when the
   * MCP tools may change traffic ({@link #MCP_ALLOW_WRITES}).
   */
  public List<String> topicsWritten() {
    return SluiceMcp.topicsWritten(topics, mcp.allowWrites());
  }

  /** Whether the API listens only on the loopback interface. */
  public boolean loopbackOnly() {
    return isLoopback(host);
  }

  static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }

  /** The producer of requests: idempotent, every replica acknowledging, sent at once. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> props = clientBase();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-gateway-" + replyPartition + "-requests");
    return props;
  }

  /**
   * A group-less read_committed reader (replies, model registry): assigned its partitions, it
   * sees each committed outcome once; short fetch waits, since a caller waits on each.
   */
  public Map<String, Object> readerProperties(String purpose) {
    Map<String, Object> props = clientBase();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-gateway-" + replyPartition + "-" + purpose);
    return props;
  }

  /** Kafka client settings for the MCP server's reads and its audit producer: the cluster and its security, nothing of the gateway's own clients. */
  public Map<String, Object> mcpClientProperties() {
    return clientBase();
  }

  private Map<String, Object> clientBase() {
    Map<String, Object> props = new HashMap<>();
    clientProperties.forEach((key, value) -> {
      if (key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("ssl.") || key.startsWith("sasl.")) {
        props.put(key, value);
      }
    });
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }
}
