package dev.sluice.mcp;

import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sluice's MCP server, on the official MCP Java SDK: the pipeline's tools ({@link SluiceTools})
 * and resources ({@link SluiceResources}) over a transport the caller chooses, stdio for a
 * desktop assistant or streamable HTTP for remote agents. It keeps no state of its own between
 * calls: every call reads Kafka and the schema registry as they are.
 */
public final class SluiceMcp implements AutoCloseable {
  /** Transport context keys a host (the gateway's /mcp) fills with the authenticated caller, for the audit trail. */
  public static final String TENANT = "sluice.tenant";
  public static final String KEY_ID = "sluice.key_id";
  public static final String CLIENT_ADDRESS = "sluice.client_address";
  /** The consumer groups pipeline_status reports besides the ingress's, by the start of their ids: the workers' and the monitor's. */
  public static final List<String> REPORTED_GROUP_PREFIXES = List.of("sluice-worker-", "sluice-monitor");
  /** How long one Kafka or registry read of a call may take. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
  private static final String INSTRUCTIONS = "Sluice is a streaming inference pipeline on Apache Kafka. Start with pipeline_status"
      + " (health, lag, ready workers) and models_list (versions and their traffic); metrics, alerts and rejections answer"
      + " 'why' questions; embed sends one real request. set_traffic and rollback change a model's split: try them with"
      + " dry_run first.";

  /**
   * The topics the tools read, each with a group-less read_committed consumer (Read and Describe):
   * the model registry, the workers' load states, the snapshots, alerts and dead letters, and the
   * results ({@code embed} waits for its outcome on them and on the dead letters). Beyond these,
   * pipeline_status and the topics resource describe every pipeline topic, its configuration and
   * end offsets (Describe, DescribeConfigs) and the reported groups' committed offsets (Describe on
   * each group, {@link #REPORTED_GROUP_PREFIXES} and the ingress's).
   */
  public static List<String> topicsRead(PipelineTopics topics) {
    return List.of(topics.models(), topics.modelStatus(), topics.metrics(), topics.alerts(), topics.rejected(), topics.results());
  }

  /**
   * The topics the tools write: the requests ({@code embed}), the audit trail, and the model
   * registry when writes are allowed ({@code set_traffic}, {@code rollback}).
   */
  public static List<String> topicsWritten(PipelineTopics topics, boolean allowWrites) {
    return allowWrites ? List.of(topics.requests(), topics.audit(), topics.models()) : List.of(topics.requests(), topics.audit());
  }

  private final SchemaRegistryClient registry;
  private final PipelineFacts facts;
  private final WriteAudit audit;
  private final SluiceTools tools;
  private final SluiceResources resources;
  private final String version;

  private SluiceMcp(SchemaRegistryClient registry, PipelineFacts facts, WriteAudit audit, McpOptions options, String version) {
    this.registry = registry;
    this.facts = facts;
    this.audit = audit;
    this.tools = new SluiceTools(facts, options, audit, Clock.systemUTC());
    this.resources = new SluiceResources(facts);
    this.version = version;
  }

  /**
   * Connects to the cluster and the registry (the admin connection fails in a few seconds when no
   * broker answers).
   *
   * @param clientProperties Kafka client settings (bootstrap servers, security)
   * @param clientAddress how callers reach this server, for the audit trail (e.g. {@code stdio})
   * @param version the server's version as clients see it
   */
  public static SluiceMcp open(Map<String, Object> clientProperties, PipelineTopics topics, String schemaRegistryUrl, McpOptions options,
      String clientAddress, String version) throws InterruptedException {
    return open(clientProperties, topics, SchemaRegistryClientConfig.forUrl(schemaRegistryUrl), options, clientAddress, version);
  }

  /** Connects with the registry settings a component already read (its URL, credentials, TLS). */
  public static SluiceMcp open(Map<String, Object> clientProperties, PipelineTopics topics, SchemaRegistryClientConfig schemaRegistry,
      McpOptions options, String clientAddress, String version) throws InterruptedException {
    RestSchemaRegistryClient registry = new RestSchemaRegistryClient(schemaRegistry);
    PipelineFacts facts = null;
    try {
      facts = new PipelineFacts(clientProperties, topics, registry, READ_TIMEOUT);
      WriteAudit audit = new WriteAudit(clientProperties, registry, topics.audit(), clientAddress, Clock.systemUTC());
      return new SluiceMcp(registry, facts, audit, options, version);
    } catch (RuntimeException | InterruptedException e) {
      if (facts != null) {
        facts.close();
      }
      registry.close();
      throw e;
    }
  }

  /** Serves the tools over a single-session transport such as stdio. */
  public McpSyncServer serve(McpServerTransportProvider transport) {
    return configure(McpServer.sync(transport));
  }

  /** Serves the tools over streamable HTTP. */
  public McpSyncServer serve(McpStreamableServerTransportProvider transport) {
    return configure(McpServer.sync(transport));
  }

  private <S extends McpServer.SyncSpecification<S>> McpSyncServer configure(S spec) {
    return spec.serverInfo("sluice", version).instructions(INSTRUCTIONS)
        .capabilities(ServerCapabilities.builder().tools(false).resources(false, false).build())
        .tools(tools.specifications()).resources(resources.specifications()).build();
  }

  @Override
  public void close() {
    audit.close();
    facts.close();
    registry.close();
  }
}
