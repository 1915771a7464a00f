package dev.sluice.stack;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.dashboard.DashboardConfig;
import dev.sluice.dashboard.DashboardServer;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.gateway.GatewayService;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.UserError;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.platform.tracing.TracingSettings;
import dev.sluice.schemas.config.ConfigSources;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.app.StreamsService;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.ingress.IngressService;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.topology.monitor.MonitorService;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.remote.EndpointModelLoader;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole pipeline in this process: the local broker and schema registry (or an existing
 * cluster and registry), the pipeline's topics, the bundled model registered when the model
 * registry has no version of it, the live dashboard, the ingress and monitoring topologies and the
 * workers. Closed in reverse order.
 */
public final class PipelineStack implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final StackSettings settings;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<WorkerService> workers = new ArrayList<>();
  private LocalStack local;
  private StreamsService ingress;
  private DashboardServer dashboard;
  private GatewayService gateway;
  private StreamsService monitor;
  private String bootstrapServers;
  private String schemaRegistryUrl;
  private List<ModelDeployment> registered = List.of();
  private Tracing tracing = Tracing.off();

  private PipelineStack(StackSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts everything and waits until the ingress runs and every worker is ready.
   *
   * @param progress where to report each step
   * @throws UserError when a part cannot start for a reason the user can fix
   */
  public static PipelineStack start(StackSettings settings, PrintWriter progress) throws InterruptedException {
    PipelineStack stack = new PipelineStack(settings);
    try {
      stack.startAll(progress);
      return stack;
    } catch (RuntimeException | InterruptedException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(PrintWriter progress) throws InterruptedException {
    startTracing();
    if (settings.local()) {
      step(progress, "Starting Kafka (KRaft) and the schema registry, data in " + settings.dataDir().toAbsolutePath());
      local = LocalStackLauncher.start(settings);
      started.add(local);
      bootstrapServers = local.bootstrapServers();
      schemaRegistryUrl = settings.schemaRegistryUrl() != null ? settings.schemaRegistryUrl() : local.schemaRegistryUrl();
    } else {
      bootstrapServers = settings.bootstrapServers();
      schemaRegistryUrl = settings.schemaRegistryUrl() != null ? settings.schemaRegistryUrl() : "http://localhost:8081";
      step(progress, "Connecting to Kafka at " + bootstrapServers + " and the schema registry at " + schemaRegistryUrl);
    }
    PipelineTopics topics = new PipelineTopics(settings.prefix());
    StackProvisioning provisioning = new StackProvisioning(topics, clientProperties(), schemaRegistryUrl, progress);
    provisioning.ensureTopics(settings.topicSettings());
    registered = provisioning.publishContractsAndRegisterModel();
    startDashboard(topics, progress);
    startIngress(progress);
    startMonitor(progress);
    for (int i = 0; i < settings.workers(); i++) {
      startWorker(i, progress);
    }
    startGateway(progress);
    step(progress, "Waiting for the ingress to run and the workers to load the model and join their group ...");
    awaitReady();
  }

  /**
   * One tracing for the whole process, from {@code SLUICE_TRACING_*} and the standard
   * {@code OTEL_*} variables (spans exported only when an OTLP endpoint is set); closed last.
   */
  private void startTracing() {
    TracingSettings tracingSettings;
    try {
      tracingSettings = TracingSettings.read("sluice", ConfigSources.merge(Map.of(), System.getenv()), System.getenv());
    } catch (ConfigException e) {
      throw new UserError("invalid tracing settings: " + e.getMessage(), e);
    }
    tracing = Tracing.start(tracingSettings);
    started.add(tracing);
  }

  private void startDashboard(PipelineTopics topics, PrintWriter progress) {
    try {
      dashboard = DashboardServer.start(DashboardConfig.of(settings.ports().dashboard(), clientProperties(), topics, schemaRegistryUrl));
    } catch (IOException e) {
      throw new UserError("cannot serve the dashboard on port " + settings.ports().dashboard() + ": " + e.getMessage()
          + " (pass --dashboard-port, 0 for a free one)", e);
    }
    started.add(dashboard);
    step(progress, "Dashboard started");
  }

  private void startIngress(PrintWriter progress) throws InterruptedException {
    Map<String, String> props = baseProperties();
    props.put("state.dir", settings.dataDir().resolve("state").resolve("ingress").toString());
    props.put(IngressConfig.HTTP_PORT, Integer.toString(settings.ports().ingress()));
    // Per prefix, so pipelines of different prefixes on one cluster never share a consumer group.
    props.put("application.id", settings.prefix() + "-ingress");
    IngressConfig config = IngressService.withRequestPartitions(IngressConfig.parse(props), KafkaAdmins.TIMEOUT);
    try {
      ingress = IngressService.start(config, tracing);
    } catch (IOException e) {
      throw new UserError("cannot serve the ingress's metrics on port " + settings.ports().ingress() + ": " + e.getMessage()
          + " (pass --ingress-port, 0 for a free one)", e);
    }
    started.add(ingress);
    step(progress, "Ingress started");
  }

  private void startMonitor(PrintWriter progress) {
    Map<String, String> props = baseProperties();
    props.put("state.dir", settings.dataDir().resolve("state").resolve("monitor").toString());
    props.put(MonitorConfig.HTTP_PORT, Integer.toString(settings.ports().monitor()));
    props.put("application.id", settings.prefix() + "-monitor");
    try {
      monitor = MonitorService.start(MonitorConfig.parse(props));
    } catch (IOException e) {
      throw new UserError("cannot serve the monitor's metrics on port " + settings.ports().monitor() + ": " + e.getMessage()
          + " (pass --monitor-port, 0 for a free one)", e);
    }
    started.add(monitor);
    step(progress, "Monitoring started");
  }

  /**
   * The HTTP gateway on the stack's host, owning partition 0 of the replies topic; keys and other
   * gateway settings come from the {@code SLUICE_GATEWAY_*} variables.
   */
  private void startGateway(PrintWriter progress) throws InterruptedException {
    Map<String, String> props = baseProperties();
    ConfigSources.merge(Map.of(), System.getenv()).forEach((key, value) -> {
      if (key.startsWith("gateway.")) {
        props.put(key, value);
      }
    });
    props.put(GatewayConfig.HOST, settings.host());
    props.put(GatewayConfig.PORT, Integer.toString(settings.ports().gateway()));
    props.put(GatewayConfig.OPS_PORT, "0");
    props.put(GatewayConfig.REPLY_PARTITION, "0");
    props.putIfAbsent(GatewayConfig.MCP_HEALTH_URLS, healthUrls());
    GatewayConfig config;
    try {
      config = GatewayConfig.parse(props);
    } catch (ConfigException e) {
      throw new UserError("invalid gateway settings: " + e.getMessage(), e);
    }
    gateway = GatewayService.start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), tracing);
    started.add(gateway);
    step(progress, "Gateway started");
  }

  /** The started components' health URLs, for the MCP tool pipeline_status at the gateway's /mcp. */
  private String healthUrls() {
    List<String> urls = new ArrayList<>();
    urls.add("ingress=" + health(ingressPort()));
    urls.add("monitor=" + health(monitorPort()));
    for (int i = 0; i < workers.size(); i++) {
      urls.add("worker-" + i + "=" + health(workers.get(i).httpPort()));
    }
    return String.join(",", urls);
  }

  private static String health(int port) {
    return "http://127.0.0.1:" + port + "/health/ready";
  }

  /** The local workers' {@value WorkerConfig#LATENCY_TARGET_MS}. */
  static final int LOCAL_WORKER_LATENCY_TARGET_MS = 100;

  private void startWorker(int index, PrintWriter progress) {
    Map<String, String> props = baseProperties();
    props.put(WorkerConfig.MODEL, BundledModel.NAME);
    props.put(WorkerConfig.ID, "local-" + index);
    props.put(WorkerConfig.GROUP_ID, settings.prefix() + "-worker-" + BundledModel.NAME);
    props.put(WorkerConfig.HTTP_PORT, Integer.toString(settings.ports().worker(index)));
    props.put(RuntimeConfig.SCRATCH_DIR, settings.dataDir().resolve("scratch").toString());
    // The local pipeline answers people trying it one request at a time: flushes planned for a
    // latency target go at once when no company is coming, and fall back to the static flushes
    // under saturation.
    props.put(WorkerConfig.LATENCY_TARGET_MS, Integer.toString(LOCAL_WORKER_LATENCY_TARGET_MS));
    props.put(WorkerConfig.WAIT_FOR_MODEL, "true");
    WorkerConfig config = WorkerConfig.parse(props);
    try {
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      WorkerService worker = WorkerService.start(config, new EndpointModelLoader(new DjlModelLoader(RuntimeConfig.from(props)), meters), meters,
          tracing);
      workers.add(worker);
      started.add(worker);
    } catch (IOException e) {
      throw new UserError("cannot serve worker " + index + "'s metrics on port " + settings.ports().worker(index) + ": " + e.getMessage()
          + " (pass --worker-port, 0 for free ones)", e);
    }
    step(progress, "Worker local-" + index + " of model " + BundledModel.NAME + " started");
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    BooleanSupplier ready = () -> ingress.state() == KafkaStreams.State.RUNNING && monitor.state() == KafkaStreams.State.RUNNING
        && workers.stream().allMatch(w -> w.worker().readiness().ready());
    while (!ready.getAsBoolean()) {
      if (ingress.failed() || monitor.failed() || workers.stream().anyMatch(w -> w.worker().failure().isPresent() || w.worker().modelLoadFailed())) {
        throw new UserError("the pipeline failed while starting: " + notReady() + " (see the log above)");
      }
      if (System.nanoTime() > deadline) {
        throw new UserError("the pipeline was not ready within " + READY_TIMEOUT + ": " + notReady());
      }
      Thread.sleep(100);
    }
  }

  private String notReady() {
    List<String> parts = new ArrayList<>();
    parts.add("ingress " + ingress.state());
    parts.add("monitor " + monitor.state());
    for (WorkerService w : workers) {
      parts.add("worker " + w.worker().readiness().reason());
    }
    return String.join("; ", parts);
  }

  /** Settings shared by the ingress and the workers. */
  private Map<String, String> baseProperties() {
    Map<String, String> props = new HashMap<>();
    settings.clientProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
    props.put("bootstrap.servers", bootstrapServers);
    props.put("schema.registry.url", schemaRegistryUrl);
    props.put("topic.prefix", settings.prefix());
    return props;
  }

  /** Properties for a Kafka client of this pipeline's cluster. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>(settings.clientProperties());
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public PipelineTopics topics() {
    return new PipelineTopics(settings.prefix());
  }

  /** The bundled model's deployments as the registry had them at start. */
  public List<ModelDeployment> deployments() {
    return registered;
  }

  /** The live dashboard's URL. */
  public String dashboardUrl() {
    return dashboard.url(host());
  }

  /** The HTTP gateway's base URL (OpenAI clients take it with {@code /v1} appended). */
  public String gatewayUrl() {
    return "http://" + host() + ":" + gateway.port();
  }

  /** The HTTP gateway's metrics and health port. */
  public int gatewayOpsPort() {
    return gateway.opsPort();
  }

  /** The monitoring application's metrics and health port. */
  public int monitorPort() {
    return monitor.httpPort();
  }

  /** The ingress's metrics and health port. */
  public int ingressPort() {
    return ingress.httpPort();
  }

  /** The workers' metrics and health ports. */
  public List<Integer> workerPorts() {
    return workers.stream().map(WorkerService::httpPort).toList();
  }

  /** The host the local parts listen on. */
  public String host() {
    return settings.host();
  }

  /** Stops the workers, the ingress, then the local broker and registry, and last exports the spans still queued; once. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.remove(i).close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(PipelineStack.class).warn("Stopping a part of the pipeline failed", e);
      }
    }
  }

  static void step(PrintWriter progress, String message) {
    progress.println("  " + message);
    progress.flush();
  }
}
