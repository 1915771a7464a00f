package dev.sluice.bench.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.EndpointProtocol;
import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.avro.Task;
import dev.sluice.loadgen.BenchClock;
import dev.sluice.loadgen.BenchReport;
import dev.sluice.loadgen.BenchRun;
import dev.sluice.loadgen.BenchSettings;
import dev.sluice.loadgen.BenchTarget;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.loadgen.LoadMode;
import dev.sluice.loadgen.PhaseFigures;
import dev.sluice.loadgen.ProgressLine;
import dev.sluice.loadgen.Span;
import dev.sluice.loadgen.TextPlan;
import dev.sluice.platform.KafkaAdmins;
import dev.sluice.platform.models.ModelRegistryTopic;
import dev.sluice.platform.topics.TopicProvisioner;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.stack.StackPorts;
import dev.sluice.stack.StackSettings;
import dev.sluice.testkit.ClusterSpec;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.KafkaClusters;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.remote.EndpointModelLoader;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;

/**
 * A worker in front of a remote endpoint against the endpoint loaded directly, on one machine, at
 * saturation, with the same batch size, interleaved A B A B. The endpoint is a real OpenAI-compatible
 * server: the Sluice gateway's {@code /v1/embeddings} of a {@code sluice up} stack (in-process local
 * broker, registry, ingress, monitor, one worker of the bundled model), pinned to {@code minilm/v1}.
 *
 * <ul>
 *   <li>A (direct): {@code concurrency} callers, each sending {@code batch} texts per call to the
 *       gateway, back to back, for {@code seconds}; texts answered per second.
 *   <li>B (relay): model {@code relay}, version {@code openai}, whose one endpoint is that gateway
 *       ({@code max_batch_size = batch}, {@code max_concurrency = concurrency}); its worker, in this
 *       process, flushes {@code batch x concurrency} requests, so each flush is that many calls of
 *       {@code batch} at once. Loaded through Kafka by {@code sluice bench}'s closed loop
 *       (2 x batch x concurrency outstanding), for {@code seconds} after a warm-up; outcomes per second.
 * </ul>
 *
 * Every text is unique (the ingress's result cache never answers). Not a test: run its {@code main}
 * (see BENCHMARKS.md). Arguments: batch (16), concurrency (4), seconds per phase (30), rounds (3),
 * warm-up seconds (60).
 */
public final class RemoteEndpointBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RELAY = "relay";

  private final PipelineStack stack;
  private final int batch;
  private final int concurrency;
  private final GeneratedSentences sentences = new GeneratedSentences(20261208L);
  private final AtomicLong next = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private RemoteEndpointBenchmark(PipelineStack stack, int batch, int concurrency) {
    this.stack = stack;
    this.batch = batch;
    this.concurrency = concurrency;
  }

  public static void main(String[] args) throws Exception {
    AvroTrust.trustContracts();
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int warm = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    Path dir = Files.createTempDirectory("sluice-remote-bench");
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; batch %d, concurrency %d, %d s per phase, %d rounds%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"), batch, concurrency,
        seconds, rounds);
    try (KafkaCluster kafka = KafkaClusters.start(ClusterSpec.singleBroker().withSchemaRegistry(true));
        PipelineStack stack = PipelineStack.start(new StackSettings(dir, kafka.bootstrapServers(), kafka.schemaRegistryUrl(), Map.of(), "localhost",
            StackPorts.free(), "bench", TopicSettings.singleBroker(), 1), new PrintWriter(System.out, true))) {
      RemoteEndpointBenchmark bench = new RemoteEndpointBenchmark(stack, batch, concurrency);
      try (WorkerService relay = bench.startRelay(dir)) {
        System.out.println("warm-up: " + warm + " s direct, " + warm + " s through the relay worker");
        bench.direct(Duration.ofSeconds(warm));
        bench.relay(Duration.ofSeconds(warm), Duration.ofSeconds(5));
        List<Double> direct = new ArrayList<>();
        List<Double> relayed = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          double a = bench.direct(Duration.ofSeconds(seconds));
          double b = bench.relay(Duration.ofSeconds(seconds), Duration.ofSeconds(10));
          direct.add(a);
          relayed.add(b);
          System.out.printf(Locale.ROOT, "round %d: direct %.1f texts/s, through the worker %.1f texts/s, ratio %.3f%n", round, a, b, b / a);
        }
        double a = median(direct);
        double b = median(relayed);
        System.out.printf(Locale.ROOT, "median: direct %.1f texts/s, through the worker %.1f texts/s; worker/direct %.3f (target >= 0.85)%n", a, b,
            b / a);
      }
    }
  }

  /** Creates model relay's topic, deploys relay/openai on the stack's gateway, and starts its worker here. */
  private WorkerService startRelay(Path dir) throws Exception {
    try (Admin admin = KafkaAdmins.connect(stack.clientProperties())) {
      new TopicProvisioner(admin, KafkaAdmins.TIMEOUT).ensure(stack.topics().specs(TopicSettings.singleBroker(), List.of(RELAY)));
    }
    ModelEndpoint endpoint = ModelEndpoint.newBuilder().setName("gateway").setProtocol(EndpointProtocol.OPENAI).setUrl(stack.gatewayUrl())
        .setRemoteModel("minilm/v1").setMaxBatchSize(batch).setMaxConcurrency(concurrency).setTimeoutMs(60_000).build();
    ModelDeployment deployment = ModelDeployment.newBuilder().setModel(RELAY).setVersion("openai").setArtifactUri("classpath:models/all-minilm-l6-v2")
        .setEngine(Engine.ONNX_RUNTIME).setTask(Task.TEXT_EMBEDDING).setTrafficWeight(100).setDeployedAt(Instant.now()).setEndpoints(List.of(endpoint))
        .build();
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(stack.schemaRegistryUrl()))) {
      new ModelRegistryTopic(stack.topics().models(), stack.clientProperties(), registry).write(List.of(deployment));
    }
    Map<String, String> props = new HashMap<>();
    stack.clientProperties().forEach((key, value) -> props.put(key, String.valueOf(value)));
    props.put("schema.registry.url", stack.schemaRegistryUrl());
    props.put("topic.prefix", stack.topics().prefix());
    props.put(WorkerConfig.MODEL, RELAY);
    props.put(WorkerConfig.ID, "relay-0");
    props.put(WorkerConfig.HTTP_PORT, "0");
    props.put(WorkerConfig.WAIT_FOR_MODEL, "true");
    props.put(WorkerConfig.FLUSH_MAX_RECORDS, Integer.toString(batch * concurrency));
    props.put(RuntimeConfig.SCRATCH_DIR, dir.resolve("relay-scratch").toString());
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return WorkerService.start(WorkerConfig.parse(props), new EndpointModelLoader(new DjlModelLoader(RuntimeConfig.from(props)), meters), meters);
  }

  /** Phase A: texts per second the gateway answers to {@code concurrency} callers sending {@code batch} texts per call. */
  private double direct(Duration length) throws Exception {
    URI uri = URI.create(stack.gatewayUrl() + "/v1/embeddings");
    AtomicLong answered = new AtomicLong();
    long end = System.nanoTime() + length.toNanos();
    List<Thread> callers = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      Thread caller = new Thread(() -> {
        while (System.nanoTime() < end) {
          answered.addAndGet(call(uri));
        }
      }, "direct-" + c);
      caller.start();
      callers.add(caller);
    }
    for (Thread caller : callers) {
      caller.join();
    }
    return answered.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** One call of {@code batch} unique texts; the texts answered. */
  private int call(URI uri) {
    ObjectNode body = JSON.createObjectNode().put("model", "minilm/v1").put("encoding_format", "float");
    ArrayNode input = body.putArray("input");
    for (int i = 0; i < batch; i++) {
      long n = next.getAndIncrement();
      input.add(sentences.text(n) + " direct" + n);
    }
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the gateway answered " + response.statusCode() + ": " + new String(response.body()));
      }
      JsonNode data = JSON.readTree(response.body()).get("data");
      return data.size();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a direct call failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Phase B: outcomes per second through the relay worker, closed loop, after a warm-up. */
  private double relay(Duration length, Duration warmup) throws Exception {
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(stack.schemaRegistryUrl()))) {
      BenchTarget target = new BenchTarget(stack.clientProperties(), registry, stack.schemaRegistryUrl(), stack.topics());
      BenchSettings settings = new BenchSettings(RELAY, "bench", new LoadMode.ClosedLoop(2 * batch * concurrency), new Span.Time(length),
          new Span.Time(warmup), new TextPlan(sentences, next.getAndAdd(1_000_000), true, 0), Duration.ofMinutes(2));
      BenchReport report = new BenchRun(settings, target, BenchClock.system(), ProgressLine.none()).run();
      PhaseFigures measured = report.outcomes().measured();
      if (measured.ok() != measured.answered() || measured.cached() > 0 || !report.outcomes().allAccountedFor()) {
        throw new IllegalStateException("the relay phase did not answer every request OK once: " + measured);
      }
      return measured.outcomeThroughput();
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
