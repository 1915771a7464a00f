package dev.sluice.bench.worker;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.ClusterSpec;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.KafkaClusters;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker end to end against its peers, in one run on the same sentences (2,000 of 8-40
 * words, fixed seed, {@link GeneratedSentences}): (a) the model runner alone at its defaults
 * (predictors = cores, 8 rows per call) on micro-batches of 256; (b) a naive Kafka consumer that
 * calls the runner once per record and produces each result; (c) langchain4j's embedAll; (d) the
 * worker through a real in-process broker and schema registry: a 200-request warm-up produced
 * before it starts, then, once those results are in, three passes over the sentences produced at
 * once, timed from the first of them produced to the last result a read_committed reader sees.
 * Then latency p50/p99 under an open-loop load at half of (d)'s rate. Not a test: run its {@code main} (see BENCHMARKS.md).
 */
public final class WorkerBenchmark {
  private static final String MODEL = "minilm";
  private static final String MINILM = "classpath:models/all-minilm-l6-v2";
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  private static final int WARM_UP = 200;
  private static final int PASSES = 3;

  private final List<String> sentences;
  private final KafkaCluster kafka;
  private final RestSchemaRegistryClient registry;
  private final AvroSerializer<Object> avro;
  private final KafkaProducer<byte[], byte[]> producer;

  private WorkerBenchmark(List<String> sentences, KafkaCluster kafka) {
    this.sentences = sentences;
    this.kafka = kafka;
    this.registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
    this.avro = new AvroSerializer<>(registry);
    this.producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
        "linger.ms", "5"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static void main(String[] args) throws Exception {
    AvroTrust.trustContracts();
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int latencySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<String> sentences = new GeneratedSentences(20261126L).first(count);
    Path scratch = Files.createTempDirectory("sluice-worker-bench");
    // A loader first: it must create ONNX Runtime's environment before langchain4j does.
    DjlModelLoader loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch));
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; %d sentences%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), count);
    try (KafkaCluster kafka = KafkaClusters.start(ClusterSpec.singleBroker().withSchemaRegistry(true))) {
      WorkerBenchmark bench = new WorkerBenchmark(sentences, kafka);
      double a = bench.modelAlone(loader);
      report("(a) model alone: runner defaults, micro-batches of 256", a);
      double b = bench.naiveConsumer(loader);
      report("(b) naive consumer: one model call per record", b);
      double c = bench.langchain4j();
      report("(c) langchain4j embedAll", c);
      double d = bench.worker(loader, latencySeconds);
      System.out.printf(Locale.ROOT, "ratios: (d)/(a) %.2f (target >= 0.85), (d)/(b) %.2f (>= 1.4), (d)/(c) %.2f (>= 1.2)%n",
          d / a, d / b, d / c);
      bench.close();
    }
  }

  private static void report(String label, double rate) {
    System.out.printf(Locale.ROOT, "%-62s %9.1f sentences/s%n", label, rate);
  }

  private ModelDeployment deployment() {
    return new ModelDeployment(MODEL, "v1", MINILM, Engine.ONNX_RUNTIME, Task.TEXT_EMBEDDING, 1.0, false, null, List.of(), List.of(),
        Map.of(), Instant.now(), null);
  }

  private List<Object> inputs() {
    return sentences.stream().map(s -> (Object) new TextInput(s)).toList();
  }

  /** (a): median of three passes after a 200-sentence warm-up. */
  private double modelAlone(DjlModelLoader loader) throws Exception {
    try (ModelRunner runner = loader.load(deployment())) {
      List<Object> inputs = inputs();
      runner.run(inputs.subList(0, 200));
      double[] rates = new double[3];
      for (int r = 0; r < rates.length; r++) {
        long start = System.nanoTime();
        for (int from = 0; from < inputs.size(); from += 256) {
          runner.run(inputs.subList(from, Math.min(inputs.size(), from + 256)));
        }
        rates[r] = inputs.size() / ((System.nanoTime() - start) / 1e9);
      }
      Arrays.sort(rates);
      return rates[1];
    }
  }

  /** (c): median of three passes after a 200-sentence warm-up. */
  private double langchain4j() {
    AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    List<TextSegment> segments = sentences.stream().map(TextSegment::from).toList();
    model.embedAll(segments.subList(0, 200));
    double[] rates = new double[3];
    for (int r = 0; r < rates.length; r++) {
      long start = System.nanoTime();
      model.embedAll(segments);
      rates[r] = segments.size() / ((System.nanoTime() - start) / 1e9);
    }
    Arrays.sort(rates);
    return rates[1];
  }

  private PipelineTopics topics(String prefix, int partitions) {
    PipelineTopics topics = new PipelineTopics(prefix);
    kafka.createTopic(topics.inference(MODEL), partitions, 1, Map.of());
    for (String topic : List.of(topics.results(), topics.shadowResults(), topics.metricEvents(), topics.rejected())) {
      kafka.createTopic(topic, 2, 1, Map.of());
    }
    kafka.createTopic(topics.models(), 1, 1, Map.of("cleanup.policy", "compact"));
    return topics;
  }

  private void produceRequests(PipelineTopics topics, String idPrefix, int from, int to) {
    String topic = topics.inference(MODEL);
    for (int i = from; i < to; i++) {
      sendRequest(topic, idPrefix + i, sentences.get(i % sentences.size()));
    }
    producer.flush();
  }

  private void sendRequest(String topic, String id, String text) {
    Instant now = Instant.now();
    PreparedRequest request = PreparedRequest.newBuilder().setRequestId(id).setModel(MODEL).setModelVersion("v1")
        .setInput(new TextInput(text)).setContentKey("content-" + id).setCreatedAt(now).setPreparedAt(now).build();
    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), avro.serialize(topic, request)));
  }

  /** (b): a plain consumer and producer, one model call and one result record per consumed record. */
  private double naiveConsumer(DjlModelLoader loader) throws Exception {
    PipelineTopics topics = topics("naive", 4);
    produceRequests(topics, "naive-", 0, sentences.size());
    AvroDeserializer<PreparedRequest> requests = new AvroDeserializer<>(PreparedRequest.class, registry);
    try (ModelRunner runner = loader.load(deployment());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
            "group.id", "naive", "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
            "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      runner.run(inputs().subList(0, 200));
      consumer.subscribe(List.of(topics.inference(MODEL)));
      long start = System.nanoTime();
      int done = 0;
      long deadline = start + PATIENCE.toNanos();
      while (done < sentences.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          PreparedRequest request = requests.deserialize(record.topic(), record.value());
          Object output = runner.run(List.of(request.getInput())).outputs().get(0);
          InferenceResult result = InferenceResult.newBuilder().setRequestId(request.getRequestId()).setModel(MODEL)
              .setModelVersion("v1").setStatus(Status.OK).setOutput(output).setCompletedAt(Instant.now()).build();
          out.send(new ProducerRecord<>(topics.results(), record.key(), avro.serialize(topics.results(), result)));
          done++;
        }
      }
      out.flush();
      consumer.commitSync();
      if (done < sentences.size()) {
        throw new IllegalStateException("naive consumer answered only " + done + " within " + PATIENCE);
      }
      return done / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** (d) and the latency at half of its rate. */
  private double worker(DjlModelLoader loader, int latencySeconds) throws Exception {
    PipelineTopics topics = topics("worker", 4);
    producer.send(new ProducerRecord<>(topics.models(), new ModelKey(MODEL, "v1").encode().getBytes(StandardCharsets.UTF_8),
        avro.serialize(topics.models(), deployment()))).get();
    // Like (a): a 200-request warm-up, then three passes over all sentences.
    produceRequests(topics, "warm-", 0, WARM_UP);
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    properties.put("schema.registry.url", kafka.schemaRegistryUrl());
    properties.put("topic.prefix", topics.prefix());
    properties.put(WorkerConfig.MODEL, MODEL);
    properties.put(WorkerConfig.ID, "bench-worker");
    properties.put(WorkerConfig.HTTP_PORT, "0");
    // Worker settings to try, e.g. -Dworker.flush.max.records=64 on the java command line.
    System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("worker."))
        .forEach(key -> properties.put(key, System.getProperty(key)));
    System.out.println("worker overrides: " + System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("worker."))
        .sorted().map(key -> key + "=" + System.getProperty(key)).toList());
    try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), topics.results(), registry)) {
      long start = System.nanoTime();
      WorkerService service = WorkerService.start(WorkerConfig.parse(properties), loader, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      try {
        await(() -> service.worker().readiness().ready());
        long ready = System.nanoTime();
        await(() -> reader.poll() >= WARM_UP);
        long warm = System.nanoTime();
        report("(d) worker, from worker start to warm-up done (load, join)", WARM_UP / ((warm - start) / 1e9));
        for (int pass = 1; pass <= PASSES; pass++) {
          produceRequests(topics, "pass" + pass + "-", 0, sentences.size());
        }
        await(() -> reader.poll() >= WARM_UP + PASSES * sentences.size());
        double rate = PASSES * sentences.size() / ((System.nanoTime() - warm) / 1e9);
        report("(d) worker end to end, " + PASSES + " passes produced after warm-up", rate);
        latency(topics, reader, rate / 2, latencySeconds);
        return rate;
      } finally {
        service.stop();
      }
    }
  }

  /** An open-loop producer at {@code rate} requests/s for {@code seconds}; latency = commit seen - created_at. */
  private void latency(PipelineTopics topics, ResultReader reader, double rate, int seconds) {
    int total = (int) (rate * seconds);
    String topic = topics.inference(MODEL);
    int before = reader.seen.size();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      while (System.nanoTime() < due) {
        reader.poll(Duration.ZERO);
        LockSupport.parkNanos(Math.min(due - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1)));
      }
      sendRequest(topic, "lat-" + i, sentences.get(i % sentences.size()));
    }
    producer.flush();
    await(() -> reader.poll() >= before + total);
    long[] seen = reader.latenciesMs.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] completed = reader.completedMs.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "latency at %.1f requests/s for %d s (%d requests): commit seen - created_at p50 %d ms, p99 %d ms;"
        + " completed_at - created_at p50 %d ms, p99 %d ms%n", rate, seconds, total, pct(seen, 50), pct(seen, 99),
        pct(completed, 50), pct(completed, 99));
  }

  private static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + PATIENCE);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  private void close() {
    producer.close();
    registry.close();
  }
}
