package dev.sluice.gateway;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.mcp.McpOptions;
import dev.sluice.mcp.SluiceMcp;
import dev.sluice.platform.UserError;
import dev.sluice.platform.http.HealthAnswer;
import dev.sluice.platform.http.OpsHttpServer;
import dev.sluice.platform.models.ModelRegistryRecords;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole gateway wired to Kafka: the reply reader on this instance's partition, the model
 * catalog, the request producer, the API server and the ops server (/metrics, /health/*). Started
 * in that order, so the API answers only once replies can be read; closed in reverse. Shared by
 * {@code sluice gateway}, {@code sluice up} and the tests.
 */
public final class GatewayService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final GatewayConfig config;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final PendingCalls pending = new PendingCalls();
  private ReplyReader replies;
  private ModelCatalog catalog;
  private volatile GatewayServer server;
  private OpsHttpServer ops;
  private volatile boolean stopping;

  private GatewayService(GatewayConfig config) {
    this.config = config;
  }

  /**
   * Starts a gateway.
   *
   * @throws UserError when it must not or cannot start: listening beyond loopback without keys,
   *     a port taken, the replies topic or the model registry unreadable
   */
  public static GatewayService start(GatewayConfig config, PrometheusMeterRegistry meters) throws InterruptedException {
    return start(config, meters, Tracing.off());
  }

  /**
   * Starts a gateway whose calls each get an HTTP server span ({@link TracedCalls}) of the process's tracing.
   *
   * @param tracing the process's tracing; the caller closes it after the gateway
   * @see #start(GatewayConfig, PrometheusMeterRegistry)
   */
  public static GatewayService start(GatewayConfig config, PrometheusMeterRegistry meters, Tracing tracing) throws InterruptedException {
    if (!config.loopbackOnly() && config.apiKeys().isEmpty() && !config.allowAnonymous()) {
      throw new UserError("the gateway would listen on " + config.host() + " with no API keys: configure keys (" + GatewayConfig.API_KEYS
          + ", " + GatewayConfig.API_KEYS_FILE + " or SLUICE_GATEWAY_API_KEYS) or pass --allow-anonymous");
    }
    GatewayService service = new GatewayService(config);
    try {
      service.open(meters, tracing);
      return service;
    } catch (RuntimeException | InterruptedException e) {
      service.close();
      throw e;
    }
  }

  private void open(PrometheusMeterRegistry meters, Tracing tracing) throws InterruptedException {
    RestSchemaRegistryClient registry = new RestSchemaRegistryClient(config.registry());
    opened.push(registry);
    KafkaConsumer<byte[], byte[]> replyConsumer = new KafkaConsumer<>(config.readerProperties("replies"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    replies = new ReplyReader(replyConsumer, new TopicPartition(config.topics().replies(), config.replyPartition()),
        new AvroDeserializer<>(InferenceResult.class, registry), new AvroDeserializer<>(RejectedRequest.class, registry), pending);
    opened.push(() -> replies.stop(CLOSE_TIMEOUT));
    try {
      replies.start(START_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new UserError("the gateway " + e.getMessage(), e);
    }
    KafkaConsumer<String, byte[]> modelConsumer = new KafkaConsumer<>(config.readerProperties("models"), new StringDeserializer(),
        new ByteArrayDeserializer());
    catalog = new ModelCatalog(modelConsumer, new ModelRegistryRecords(config.topics().models(),
        new AvroDeserializer<>(ModelDeployment.class, registry)));
    opened.push(() -> catalog.stop(CLOSE_TIMEOUT));
    try {
      catalog.start(START_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new UserError("the gateway " + e.getMessage(), e);
    }
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    opened.push(() -> producer.close(CLOSE_TIMEOUT));
    KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(meters);
    opened.push(producerMetrics);
    AuditTrail audit = new AuditTrail(producer, new AvroSerializer<>(registry), config.topics().audit(), "gateway-" + config.replyPartition());
    GatewayMetrics metrics = new GatewayMetrics(pending::size, pending::unclaimed, audit::failures);
    metrics.bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    Pipeline pipeline = new KafkaPipeline(new RequestPublisher(producer, new AvroSerializer<>(registry), config.topics().requests(),
        config.replyPartition(), pending), catalog);
    try {
      ops = OpsHttpServer.start(config.opsPort(), meters::scrape, this::live, this::ready);
    } catch (IOException e) {
      throw new UserError("the gateway cannot serve metrics and health on port " + config.opsPort() + ": " + e.getMessage()
          + " (pass --ops-port, 0 for a free one)", e);
    }
    opened.push(ops);
    McpEndpoint mcp = new McpEndpoint(config, openMcp()::serve, audit, metrics);
    Handler routes = new Handler.Sequence(mcp, new GatewayHandler(config, pipeline, () -> failure().isEmpty(), metrics, audit));
    try {
      server = GatewayServer.start(config.host(), config.port(), config.tls(), config.allowedOrigins(), config.shutdownTimeout(),
          new TracedCalls(tracing, routes));
    } catch (Exception e) {
      throw new UserError("the gateway cannot listen on " + config.host() + ":" + config.port() + ": " + message(e)
          + " (pass --port, 0 for a free one)", e);
    }
    opened.push(server);
    opened.push(mcp::closeSessions);
    LOG.info("Gateway listening on {}:{} (reply partition {} of {}); metrics and health on port {}", config.host(), server.port(),
        config.replyPartition(), config.topics().replies(), ops.port());
  }

  /**
   * The MCP server /mcp serves: the cluster and registry the gateway uses, writes only when
   * {@value GatewayConfig#MCP_ALLOW_WRITES}; pipeline_status asks the gateway's own health and the
   * {@value GatewayConfig#MCP_HEALTH_URLS}.
   */
  private SluiceMcp openMcp() throws InterruptedException {
    Map<String, URI> health = new LinkedHashMap<>(config.mcp().healthUrls());
    health.put("gateway", URI.create("http://127.0.0.1:" + ops.port() + "/health/ready"));
    McpOptions options = new McpOptions(config.mcp().allowWrites(), config.mcp().ingressGroup(), health, config.defaultTimeout(),
        GatewayConfig.MCP_ALLOW_WRITES + "=true");
    String version = GatewayService.class.getPackage().getImplementationVersion();
    SluiceMcp mcp = SluiceMcp.open(config.mcpClientProperties(), config.topics(), config.registry(), options, "gateway",
        version == null ? "development" : version);
    opened.push(mcp);
    return mcp;
  }

  private static String message(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof BindException)) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private HealthAnswer live() {
    return health(HealthAnswer.Check.LIVE);
  }

  private HealthAnswer ready() {
    if (stopping) {
      return HealthAnswer.of("gateway", HealthAnswer.Check.READY, false, false, "stopping: answering the calls it holds");
    }
    return server == null ? HealthAnswer.of("gateway", HealthAnswer.Check.READY, false, false, "starting") : health(HealthAnswer.Check.READY);
  }

  private HealthAnswer health(HealthAnswer.Check check) {
    return failure().map(f -> HealthAnswer.of("gateway", check, false, false, "failed: " + f.getMessage()))
        .orElse(HealthAnswer.of("gateway", check, true, false, "answering calls"));
  }

  /** Why the gateway can no longer answer (its reply reader or model catalog failed), if it cannot. */
  public Optional<Throwable> failure() {
    if (replies != null && replies.failure() != null) {
      return Optional.of(replies.failure());
    }
    return Optional.ofNullable(catalog == null ? null : catalog.failure());
  }

  /** The API's port. */
  public int port() {
    return server.port();
  }

  /** The port of /metrics and /health/*. */
  public int opsPort() {
    return ops.port();
  }

  /**
   * Stops: readiness turns false, the API accepts no new connection and answers the calls it
   * holds for up to {@link GatewayConfig#shutdownTimeout()}, then the ops server and the clients
   * close, newest first, and whatever still waits fails.
   */
  @Override
  public void close() {
    stopping = true;
    while (!opened.isEmpty()) {
      AutoCloseable next = opened.pop();
      try {
        next.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        LOG.warn("Closing part of the gateway failed: {}", e.toString());
      }
    }
    pending.failAll(new IllegalStateException("the gateway stopped"));
  }
}
