package dev.sluice.bench.pipeline;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.TextInput;
import dev.sluice.loadgen.BenchRun;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.loadgen.RequestTexts;
import dev.sluice.loadgen.TextPlan;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.stack.BundledModel;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The latency floor of the model at a given load: what any pipeline in front of it could at best
 * achieve. Requests arrive open-loop (Poisson, {@code --rate R} per second, for {@code --seconds
 * S} after {@code --warmup-seconds W}) on the texts {@code sluice bench} sends, 90/10 over the
 * bundled model's two versions as {@code sluice up} deploys them, into an in-memory queue with no
 * Kafka, no serialization and no commit. {@code --lanes 1}: one flush at a time, as the worker
 * runs, each flush everything waiting (split by version, each version's share cut over the
 * runtime's predictors); {@code --lanes 2}: two lanes, each with its own one-predictor runners,
 * each taking everything waiting when it comes free. Latency is from a request's scheduled arrival
 * to its model call's end. Prints one line: achieved rate, latency p50/p90/p99, mean flush size.
 */
public final class ModelQueue {
  private ModelQueue() {}

  /** A request: its text's index and scheduled arrival (System.nanoTime). */
  private record Arrival(int index, long at) {}

  public static void main(String[] args) throws Exception {
    AvroTrust.trustContracts();
    double rate = Double.parseDouble(arg(args, "--rate", "100"));
    int seconds = Integer.parseInt(arg(args, "--seconds", "30"));
    int warmupSeconds = Integer.parseInt(arg(args, "--warmup-seconds", "10"));
    int lanes = Integer.parseInt(arg(args, "--lanes", "1"));
    RequestTexts texts = new RequestTexts(new TextPlan(new GeneratedSentences(42), 42, true, 0), BenchRun.newRunId(Instant.now()));
    List<ModelDeployment> deployments = BundledModel.deployments(Instant.now());
    Path scratch = Files.createTempDirectory("sluice-model-queue");
    RuntimeConfig config = RuntimeConfig.defaults().withScratchDir(scratch);
    if (lanes > 1) {
      config = config.withParallelism(1, Integer.parseInt(arg(args, "--rows-per-call", "8")));
    }
    DjlModelLoader loader = new DjlModelLoader(config);
    List<List<ModelRunner>> laneRunners = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      List<ModelRunner> runners = new ArrayList<>();
      for (ModelDeployment deployment : deployments) {
        runners.add(loader.load(deployment));
      }
      laneRunners.add(runners);
    }
    ArrayDeque<Arrival> queue = new ArrayDeque<>();
    int total = (int) Math.round(rate * (warmupSeconds + seconds));
    long[] latencies = new long[total];
    int[] flushes = new int[2];
    long start = System.nanoTime() + 200_000_000L;
    long measureFrom = start + warmupSeconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (List<ModelRunner> runners : laneRunners) {
      Thread worker = new Thread(() -> serve(queue, runners, texts, total, latencies, flushes, measureFrom), "lane");
      worker.start();
      workers.add(worker);
    }
    Random random = new Random(7);
    long next = start;
    for (int i = 0; i < total; i++) {
      next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      synchronized (queue) {
        queue.add(new Arrival(i, next));
        queue.notifyAll();
      }
    }
    synchronized (queue) {
      queue.add(new Arrival(-1, 0));
      queue.notifyAll();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
    double seconds0 = (next - measureFrom) / 1e9;
    System.out.printf(Locale.ROOT, "lanes %d, offered %.1f/s: %d measured, %.1f/s, latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms,"
            + " max %.1f ms, mean flush %.1f%n", lanes, rate, measured.length, measured.length / seconds0, pct(measured, 0.5),
        pct(measured, 0.9), pct(measured, 0.99), measured[measured.length - 1] / 1e6, (double) flushes[1] / Math.max(1, flushes[0]));
    for (List<ModelRunner> runners : laneRunners) {
      for (ModelRunner runner : runners) {
        runner.close();
      }
    }
    try (var paths = Files.walk(scratch)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** A lane: takes everything waiting once free, runs each version's share, records latencies. */
  private static void serve(ArrayDeque<Arrival> queue, List<ModelRunner> runners, RequestTexts texts, int total, long[] latencies,
      int[] flushes, long measureFrom) {
    while (true) {
      List<Arrival> flush = new ArrayList<>();
      synchronized (queue) {
        while (queue.isEmpty()) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queue.peek().index() < 0) {
          return;
        }
        while (!queue.isEmpty() && queue.peek().index() >= 0) {
          flush.add(queue.poll());
        }
        flushes[0]++;
        flushes[1] += flush.size();
      }
      for (int v = 0; v < runners.size(); v++) {
        List<Arrival> mine = new ArrayList<>();
        List<Object> inputs = new ArrayList<>();
        for (Arrival arrival : flush) {
          if ((arrival.index() % 10 == 9 ? 1 : 0) == v) {
            mine.add(arrival);
            inputs.add(TextInput.newBuilder().setText(texts.text(arrival.index())).build());
          }
        }
        if (inputs.isEmpty()) {
          continue;
        }
        try {
          runners.get(v).run(inputs);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        long done = System.nanoTime();
        for (Arrival arrival : mine) {
          if (arrival.at() >= measureFrom) {
            latencies[arrival.index()] = done - arrival.at();
          }
        }
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static String arg(String[] args, String name, String defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return defaultValue;
  }
}
