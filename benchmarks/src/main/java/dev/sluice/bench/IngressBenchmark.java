package dev.sluice.bench;

import dev.sluice.schemas.AvroTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Benchmark main: the ingress topology against a pass-through topology with the same serdes, on
 * a real Kafka broker and schema registry started in this JVM, over the same pre-written
 * requests, in the same run. Prints a table (and JSON with {@code --json}); the figures go to
 * BENCHMARKS.md.
 *
 * <pre>java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro -jar benchmarks/target/sluice-benchmarks.jar --requests 200000</pre>
 *
 * <p>Exit status: 0 when every request was accounted for, 3 when not, 2 for bad options, 1 when
 * the benchmark failed.
 */
@Command(name = "sluice-ingress-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures the ingress topology's records/s against a pass-through topology with the same serdes,"
        + " on a Kafka broker and schema registry started in this JVM.")
public final class IngressBenchmark implements Callable<Integer> {
  /** Exit status when a topology did not account for every request. */
  static final int ACCOUNTING_FAILED = 3;

  @Spec
  private CommandSpec spec;

  @Option(names = "--requests", defaultValue = "200000", description = "Requests in the measured round (default: ${DEFAULT-VALUE}).")
  private long requests;

  @Option(names = "--partitions", defaultValue = "3",
      description = "Partitions of the requests and output topics (so ingress.request.partitions) (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Option(names = "--warmup", defaultValue = "20000",
      description = "Requests in the unreported warm-up round on separate topics; 0 for none (default: ${DEFAULT-VALUE}).")
  private long warmup;

  @Option(names = "--data-dir", description = "Broker and Streams state directory (default: a temporary directory, deleted after).")
  private Path dataDir;

  @Option(names = "--json", description = "Also write the report as JSON to this file.")
  private Path json;

  @Option(names = "--threads", defaultValue = "1", description = "num.stream.threads of both topologies (default: ${DEFAULT-VALUE}).")
  private int threads;

  @Option(names = "--commit-interval-ms", defaultValue = "100",
      description = "commit.interval.ms of both topologies (default: ${DEFAULT-VALUE}, Kafka's default under exactly_once_v2).")
  private long commitIntervalMs;

  @Option(names = "--rate-limit-per-second", defaultValue = "0",
      description = "Ingress rate limit per tenant (burst the same); 0 for unlimited, the ingress's default (default: ${DEFAULT-VALUE}).")
  private double ratePerSecond;

  @Option(names = "--seed", defaultValue = "20260301", description = "Seed of the generated requests (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--keyed-by-request-id", defaultValue = "0",
      description = {"Share of the requests with an idempotency key keyed by request id instead of by that key (retries are keyed",
          "both ways regardless); the ingress passes most of these to the task that owns the key (default: ${DEFAULT-VALUE})."})
  private double keyedByRequestId;

  @Option(names = "--pass-timeout-s", defaultValue = "900", description = "Bound on each timed run, in seconds (default: ${DEFAULT-VALUE}).")
  private long passTimeoutSeconds;

  /** Runs the benchmark and exits with its status. */
  public static void main(String[] args) {
    AvroTrust.trustContracts();
    System.exit(execute(args));
  }

  /**
   * Runs the benchmark as {@link #main} does, without exiting.
   *
   * @return the exit status
   */
  public static int execute(String... args) {
    return new CommandLine(new IngressBenchmark()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    BenchmarkSettings settings;
    try {
      settings = new BenchmarkSettings(requests, partitions, warmup, dataDir, json, threads, commitIntervalMs, ratePerSecond, seed,
          Duration.ofSeconds(passTimeoutSeconds), keyedByRequestId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    BenchmarkReport report = new BenchmarkRun(settings, System.out).run();
    report.print(System.out);
    if (settings.json() != null) {
      report.writeJson(settings.json());
      System.out.println("JSON report: " + settings.json().toAbsolutePath());
    }
    return report.accountingHolds() ? 0 : ACCOUNTING_FAILED;
  }
}
