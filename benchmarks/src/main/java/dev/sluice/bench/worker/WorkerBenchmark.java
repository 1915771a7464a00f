package dev.sluice.bench.worker;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Status;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.ClusterSpec;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.KafkaClusters;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
  private static final int WARM_UP = 200;
  private static final int PASSES = 3;

  private final WorkerRig rig;

  private WorkerBenchmark(WorkerRig rig) {
    this.rig = rig;
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
    try (KafkaCluster kafka = KafkaClusters.start(ClusterSpec.singleBroker().withSchemaRegistry(true));
        WorkerRig rig = new WorkerRig(sentences, kafka)) {
      WorkerBenchmark bench = new WorkerBenchmark(rig);
      double a = bench.modelAlone(loader);
      report("(a) model alone: runner defaults, micro-batches of 256", a);
      double b = bench.naiveConsumer(loader);
      report("(b) naive consumer: one model call per record", b);
      double c = bench.langchain4j();
      report("(c) langchain4j embedAll", c);
      double d = bench.worker(loader, latencySeconds);
      System.out.printf(Locale.ROOT, "ratios: (d)/(a) %.2f (target >= 0.85), (d)/(b) %.2f (>= 1.4), (d)/(c) %.2f (>= 1.2)%n",
          d / a, d / b, d / c);
    }
  }

  static void report(String label, double rate) {
    System.out.printf(Locale.ROOT, "%-62s %9.1f sentences/s%n", label, rate);
  }

  /** (a): median of three passes after a 200-sentence warm-up. */
  private double modelAlone(DjlModelLoader loader) throws Exception {
    try (ModelRunner runner = loader.load(WorkerRig.deployment())) {
      List<Object> inputs = rig.inputs();
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
    List<TextSegment> segments = rig.sentences.stream().map(TextSegment::from).toList();
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

  /** (b): a plain consumer and producer, one model call and one result record per consumed record. */
  private double naiveConsumer(DjlModelLoader loader) throws Exception {
    PipelineTopics topics = rig.topics("naive", 4);
    int count = rig.sentences.size();
    rig.produceRequests(topics, "naive-", 0, count);
    AvroDeserializer<PreparedRequest> requests = new AvroDeserializer<>(PreparedRequest.class, rig.registry);
    String bootstrap = rig.kafka.bootstrapServers();
    try (ModelRunner runner = loader.load(WorkerRig.deployment());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
            "group.id", "naive", "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
            "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      runner.run(rig.inputs().subList(0, 200));
      consumer.subscribe(List.of(topics.inference(WorkerRig.MODEL)));
      long start = System.nanoTime();
      int done = 0;
      long deadline = start + WorkerRig.PATIENCE.toNanos();
      while (done < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          PreparedRequest request = requests.deserialize(record.topic(), record.value());
          Object output = runner.run(List.of(request.getInput())).outputs().get(0);
          InferenceResult result = InferenceResult.newBuilder().setRequestId(request.getRequestId()).setModel(WorkerRig.MODEL)
              .setModelVersion("v1").setStatus(Status.OK).setOutput(output).setCompletedAt(Instant.now()).build();
          out.send(new ProducerRecord<>(topics.results(), record.key(), rig.encode(topics.results(), result)));
          done++;
        }
      }
      out.flush();
      consumer.commitSync();
      if (done < count) {
        throw new IllegalStateException("naive consumer answered only " + done + " within " + WorkerRig.PATIENCE);
      }
      return done / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** (d) and the latency at half of its rate. */
  private double worker(DjlModelLoader loader, int latencySeconds) throws Exception {
    PipelineTopics topics = rig.topics("worker", 4);
    int count = rig.sentences.size();
    // Like (a): a 200-request warm-up, then three passes over all sentences.
    rig.produceRequests(topics, "warm-", 0, WARM_UP);
    // Worker settings to try, e.g. -Dworker.flush.max.records=64 on the java command line.
    Map<String, String> settings = new TreeMap<>();
    System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("worker."))
        .forEach(key -> settings.put(key, System.getProperty(key)));
    System.out.println("worker overrides: " + settings);
    try (ResultReader reader = new ResultReader(rig.kafka.bootstrapServers(), topics.results(), rig.registry)) {
      long start = System.nanoTime();
      WorkerService service = rig.startWorker(topics, loader, settings);
      try {
        WorkerRig.await(() -> service.worker().readiness().ready());
        WorkerRig.await(() -> reader.poll() >= WARM_UP);
        long warm = System.nanoTime();
        report("(d) worker, from worker start to warm-up done (load, join)", WARM_UP / ((warm - start) / 1e9));
        for (int pass = 1; pass <= PASSES; pass++) {
          rig.produceRequests(topics, "pass" + pass + "-", 0, count);
        }
        WorkerRig.await(() -> reader.poll() >= WARM_UP + PASSES * count);
        double rate = PASSES * count / ((System.nanoTime() - warm) / 1e9);
        report("(d) worker end to end, " + PASSES + " passes produced after warm-up", rate);
        WorkerRig.Latency latency = rig.openLoop(topics, reader, "half", rate / 2, latencySeconds);
        System.out.printf(Locale.ROOT, "latency at %.1f requests/s for %d s: commit seen - created_at p50 %d ms, p99 %d ms;"
            + " completed_at - created_at p50 %d ms, p99 %d ms%n", rate / 2, latencySeconds, latency.seenP50(), latency.seenP99(),
            latency.workerP50(), latency.workerP99());
        return rate;
      } finally {
        service.stop();
      }
    }
  }
}
