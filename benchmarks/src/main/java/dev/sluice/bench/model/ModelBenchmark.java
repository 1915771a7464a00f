package dev.sluice.bench.model;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model-runtime benchmark (not a test: it has a main and is never run by surefire). On the same
 * fixed-seed sentences it measures (a) the runner over a grid of predictors x rows per model call
 * x micro-batch size, with the naive one-sentence-per-call runner as the floor, and (c) langchain4j's
 * {@code embedAll} on the same sentences, for the fp32 and quantized models; and how far the
 * runner's vectors are from langchain4j's. See BENCHMARKS.md for the command.
 *
 * <p>Arguments: {@code --sentences N} (2000), {@code --rounds R} (3, the median is reported),
 * {@code --predictors 1,2} and {@code --sub-batches 4,8,16} and {@code --micro-batches 64,256}.
 */
public final class ModelBenchmark {
  private static final String MINILM = "classpath:models/all-minilm-l6-v2";
  private static final String MINILM_Q = "classpath:models/all-minilm-l6-v2-q";

  private final List<String> sentences;
  private final int rounds;
  private final Path scratch;

  private ModelBenchmark(List<String> sentences, int rounds, Path scratch) {
    this.sentences = sentences;
    this.rounds = rounds;
    this.scratch = scratch;
  }

  public static void main(String[] args) throws Exception {
    AvroTrust.trustContracts();
    int count = intArg(args, "--sentences", 2000);
    int rounds = intArg(args, "--rounds", 3);
    int[] predictors = listArg(args, "--predictors", "1,2");
    int[] subBatches = listArg(args, "--sub-batches", "4,8,16");
    int[] microBatches = listArg(args, "--micro-batches", "64,256");
    List<String> sentences = new GeneratedSentences(20261126L).first(count);
    Path scratch = Files.createTempDirectory("sluice-model-bench");
    // A loader first: it must create ONNX Runtime's environment before langchain4j does.
    new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch));
    ModelBenchmark bench = new ModelBenchmark(sentences, rounds, scratch);
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s; %d sentences (%d-%d words), %d rounds, median%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
        System.getProperty("os.arch"), count, sentences.stream().mapToInt(s -> s.split(" ").length).min().orElse(0),
        sentences.stream().mapToInt(s -> s.split(" ").length).max().orElse(0), rounds);
    System.out.printf(Locale.ROOT, "%-58s %12s %10s%n", "configuration", "sentences/s", "padding");

    bench.runner(MINILM, 1, 1, 1, "(a) fp32 naive: 1 predictor, 1 sentence per call");
    Result best = null;
    for (int p : predictors) {
      for (int s : subBatches) {
        for (int m : microBatches) {
          Result result = bench.runner(MINILM, p, s, m,
              String.format(Locale.ROOT, "(a) fp32 %d predictor(s), %d rows/call, batch %d", p, s, m));
          best = best == null || result.rate() > best.rate() ? result : best;
        }
      }
    }
    System.out.printf(Locale.ROOT, "best fp32: %s at %.1f sentences/s%n", best.label(), best.rate());
    int cores = Runtime.getRuntime().availableProcessors();
    bench.runner(MINILM_Q, cores, 1, 64, "(a) quantized, each text alone (its default), batch 64");
    bench.runner(MINILM_Q, cores, 8, 64, "(a) quantized, forced 8 rows/call, batch 64");
    List<float[]> reference = bench.langchain4j(new AllMiniLmL6V2EmbeddingModel(), "(c) langchain4j embedAll, fp32");
    bench.langchain4j(new AllMiniLmL6V2QuantizedEmbeddingModel(), "(c) langchain4j embedAll, quantized");
    System.out.printf(Locale.ROOT, "agreement with langchain4j (fp32, best config): max |difference| per component %.2e%n",
        maxDifference(best.vectors(), reference));
    System.out.println("memory: " + memory());
    deleteTree(scratch);
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static String memory() throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return "n/a";
    }
    return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("n/a");
  }

  /**
   * One measured configuration.
   *
   * @param label what was measured
   * @param rate sentences per second (median of the rounds)
   * @param vectors the last round's vectors, in sentence order
   */
  private record Result(String label, double rate, List<float[]> vectors) {}

  private Result runner(String uri, int predictors, int subBatch, int microBatch, String label) throws Exception {
    RuntimeConfig config = RuntimeConfig.defaults().withParallelism(predictors, subBatch);
    ModelDeployment deployment = ModelDeployment.newBuilder().setModel("bench").setVersion("1").setArtifactUri(uri)
        .setTask(Task.TEXT_EMBEDDING).setDeployedAt(Instant.now())
        .setProperties(Map.of(DjlModelLoader.SUB_BATCH_SIZE, String.valueOf(subBatch))).build();
    DjlModelLoader configured = new DjlModelLoader(config.withScratchDir(scratch));
    try (ModelRunner runner = configured.load(deployment)) {
      List<Object> inputs = sentences.stream().map(s -> (Object) TextInput.newBuilder().setText(s).build()).toList();
      runAll(runner, inputs.subList(0, Math.min(200, inputs.size())), microBatch);
      double[] rates = new double[rounds];
      Pass last = null;
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        last = runAll(runner, inputs, microBatch);
        rates[r] = inputs.size() / ((System.nanoTime() - start) / 1e9);
      }
      double rate = median(rates);
      System.out.printf(Locale.ROOT, "%-58s %12.1f %9.2fx%n", label, rate, (double) last.padded() / last.real());
      return new Result(label, rate, last.vectors());
    }
  }

  /**
   * One pass over the inputs.
   *
   * @param vectors the vectors in input order
   * @param real real tokens
   * @param padded padded tokens
   */
  private record Pass(List<float[]> vectors, long real, long padded) {}

  private static Pass runAll(ModelRunner runner, List<Object> inputs, int microBatch) throws Exception {
    List<float[]> vectors = new ArrayList<>(inputs.size());
    long real = 0;
    long padded = 0;
    for (int start = 0; start < inputs.size(); start += microBatch) {
      BatchResult result = runner.run(inputs.subList(start, Math.min(inputs.size(), start + microBatch)));
      real += result.realTokens();
      padded += result.paddedTokens();
      for (Object output : result.outputs()) {
        List<Float> vector = ((Embedding) output).getVector();
        float[] values = new float[vector.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = vector.get(i);
        }
        vectors.add(values);
      }
    }
    return new Pass(vectors, real, padded);
  }

  private List<float[]> langchain4j(EmbeddingModel model, String label) {
    List<TextSegment> segments = sentences.stream().map(TextSegment::from).toList();
    model.embedAll(segments.subList(0, Math.min(200, segments.size())));
    double[] rates = new double[rounds];
    List<float[]> vectors = List.of();
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      vectors = model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
      rates[r] = segments.size() / ((System.nanoTime() - start) / 1e9);
    }
    System.out.printf(Locale.ROOT, "%-58s %12.1f %10s%n", label, median(rates), "-");
    return vectors;
  }

  private static double maxDifference(List<float[]> ours, List<float[]> theirs) {
    double max = 0;
    for (int i = 0; i < ours.size(); i++) {
      for (int d = 0; d < ours.get(i).length; d++) {
        max = Math.max(max, Math.abs(ours.get(i)[d] - theirs.get(i)[d]));
      }
    }
    return max;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static int intArg(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }

  private static int[] listArg(String[] args, String name, String defaultValue) {
    String value = defaultValue;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        value = args[i + 1];
      }
    }
    return Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }
}
