package dev.sluice.bench.pipeline;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.TextInput;
import dev.sluice.loadgen.BenchRun;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.loadgen.RequestTexts;
import dev.sluice.loadgen.TextPlan;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.stack.BundledModel;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The model alone, as {@code sluice up} deploys it, on the texts {@code sluice bench} sends: the
 * bundled model's two versions loaded with the worker's runtime defaults, the bench's built-in
 * sentences (seed 42) tagged as {@code --unique-content} tags them, every tenth text on the
 * quantized version (the 90/10 split), each version's texts run through its runner in
 * micro-batches. No Kafka. The half of {@code benchmarks/scripts/pipeline-bench.sh} that the
 * pipeline is compared with.
 *
 * <p>Arguments: {@code --count N} (4000) texts measured after {@code --warmup N} (300), {@code
 * --micro-batch N} (256). Prints one line per version and the mix's rate, the last line {@code
 * model alone: R sentences/s}.
 */
public final class ModelAlone {
  private ModelAlone() {}

  public static void main(String[] args) throws Exception {
    AvroTrust.trustContracts();
    int count = intArg(args, "--count", 4000);
    int warmup = intArg(args, "--warmup", 300);
    int microBatch = intArg(args, "--micro-batch", 256);
    RequestTexts texts = new RequestTexts(new TextPlan(new GeneratedSentences(42), 42, true, 0), BenchRun.newRunId(Instant.now()));
    List<ModelDeployment> deployments = BundledModel.deployments(Instant.now());
    Path scratch = Files.createTempDirectory("sluice-model-alone");
    DjlModelLoader loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch));
    List<ModelRunner> runners = new ArrayList<>();
    for (ModelDeployment deployment : deployments) {
      runners.add(loader.load(deployment));
    }
    try {
      run(runners, texts, 0, warmup, microBatch);
      Pass[] passes = run(runners, texts, warmup, warmup + count, microBatch);
      long sentences = 0;
      long nanos = 0;
      for (int v = 0; v < passes.length; v++) {
        Pass pass = passes[v];
        sentences += pass.sentences();
        nanos += pass.nanos();
        System.out.printf(Locale.ROOT, "%s: %d texts, %.1f sentences/s, %.1f real tokens per text, padding %.2fx%n",
            runners.get(v).info().version(), pass.sentences(), pass.sentences() / (pass.nanos() / 1e9),
            (double) pass.realTokens() / pass.sentences(), (double) pass.paddedTokens() / pass.realTokens());
      }
      System.out.printf(Locale.ROOT, "model alone: %.1f sentences/s%n", sentences / (nanos / 1e9));
    } finally {
      for (ModelRunner runner : runners) {
        runner.close();
      }
      try (var paths = Files.walk(scratch)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** What one version did over a range of texts. */
  private record Pass(long sentences, long nanos, long realTokens, long paddedTokens) {}

  /** Runs texts [from, to): every tenth on the second runner (the 10 %), the rest on the first. */
  private static Pass[] run(List<ModelRunner> runners, RequestTexts texts, int from, int to, int microBatch) throws Exception {
    List<List<Object>> inputs = new ArrayList<>();
    runners.forEach(r -> inputs.add(new ArrayList<>()));
    for (int i = from; i < to; i++) {
      inputs.get(i % 10 == 9 ? 1 : 0).add(TextInput.newBuilder().setText(texts.text(i)).build());
    }
    Pass[] passes = new Pass[runners.size()];
    for (int v = 0; v < runners.size(); v++) {
      List<Object> mine = inputs.get(v);
      long real = 0;
      long padded = 0;
      long start = System.nanoTime();
      for (int at = 0; at < mine.size(); at += microBatch) {
        BatchResult result = runners.get(v).run(mine.subList(at, Math.min(mine.size(), at + microBatch)));
        real += result.realTokens();
        padded += result.paddedTokens();
      }
      passes[v] = new Pass(mine.size(), System.nanoTime() - start, real, padded);
    }
    return passes;
  }

  private static int intArg(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
