package dev.sluice.cli.bench;

import dev.sluice.cli.ClusterOptions;
import dev.sluice.loadgen.BenchClock;
import dev.sluice.loadgen.BenchPreflight;
import dev.sluice.loadgen.BenchReport;
import dev.sluice.loadgen.BenchRun;
import dev.sluice.loadgen.BenchSettings;
import dev.sluice.loadgen.BenchTarget;
import dev.sluice.loadgen.FileTexts;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.loadgen.LoadMode;
import dev.sluice.loadgen.ProgressLine;
import dev.sluice.loadgen.ReportJson;
import dev.sluice.loadgen.ReportTable;
import dev.sluice.loadgen.Span;
import dev.sluice.loadgen.TextPlan;
import dev.sluice.loadgen.TextSource;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code sluice bench}: load against the running pipeline, with end-to-end latency, throughput and an account of every request. */
@Command(name = "bench",
    header = "Load the running pipeline through Kafka or the HTTP gateway and measure it.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Send inference requests to the running pipeline and measure it: open loop at a fixed --rate,",
        "or closed loop with --concurrency requests outstanding; for a --duration or a --count.",
        "Reports end-to-end latency (request creation to result), throughput, rejections, errors, and every",
        "request without exactly one outcome; writes JSON and prints a table. Exit status 1 when a request",
        "is missing, answered twice or not delivered."})
public final class BenchCommand implements Callable<Integer> {
  static final int DEFAULT_CONCURRENCY = 64;
  static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  @Option(names = "--prefix", defaultValue = "${env:SLUICE_TOPIC_PREFIX:-sluice}", description = "Topic name prefix.")
  String prefix;

  @Option(names = "--model", defaultValue = "minilm", description = "Model every request names.")
  String model;

  @Option(names = "--rate", paramLabel = "R", description = "Open loop: send R requests per second on a fixed schedule. Without it: closed loop.")
  Double rate;

  @Option(names = "--concurrency", paramLabel = "N", description = "Closed loop: requests outstanding at once (default: " + DEFAULT_CONCURRENCY + ").")
  Integer concurrency;

  @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
      description = "How long to measure, e.g. 30s, 2m (default: 30s unless --count).")
  Duration duration;

  @Option(names = "--count", paramLabel = "N", description = "How many requests to measure, instead of --duration.")
  Long count;

  @Option(names = "--warmup", paramLabel = "N|TIME", defaultValue = "0", converter = SpanConverter.class,
      description = "Requests (e.g. 500) or time (e.g. 10s) sent first and left out of the figures (default: none).")
  Span warmup;

  @Option(names = "--text-source", paramLabel = "builtin|FILE", defaultValue = "builtin",
      description = "builtin: varied English sentences of 8-40 words from --seed; or a UTF-8 file, one text per line.")
  String textSource;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the texts and of the repeats.")
  long seed;

  @Option(names = "--unique-content", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "End every text with one short word made of the run id's random part and the text's index, so the "
          + "ingress's result cache never answers unless --repeat-fraction asks it to (default: on; --no-unique-content sends the plain texts).")
  boolean uniqueContent;

  @Option(names = "--repeat-fraction", paramLabel = "F", defaultValue = "0",
      description = "Share of requests (0 to below 1) repeating an earlier request's text, to exercise the result cache.")
  double repeatFraction;

  @Option(names = "--tenant", description = "Tenant of every request (default: the default tenant).")
  String tenant;

  @Option(names = "--output", paramLabel = "FILE|-", description = "JSON report file; - for none (default: bench-<timestamp>.json here).")
  String output;

  @Option(names = "--json", description = "Print the JSON report on stdout instead of the table (the report file is still written"
      + " unless --output -).")
  boolean json;

  @Option(names = "--http", paramLabel = "URL",
      description = "Call the HTTP gateway at URL (POST /v1/embeddings, one text per call) instead of producing to Kafka; each call's answer is its outcome.")
  URI http;

  @Option(names = "--http-encoding", paramLabel = "FORMAT", defaultValue = "base64",
      description = {"With --http, the encoding_format each call asks for: base64 (what OpenAI's Python SDK asks for when its",
          "caller names none and numpy is installed) or float."})
  String httpEncoding;

  @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to wait at the end for outstanding outcomes (and, closed loop, for a free slot).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    BenchSettings settings = settings();
    boolean base64 = base64();
    Path reportFile = reportFile();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> clientProperties = cluster.clientProperties();
    BenchReport report;
    CountDownLatch reported = new CountDownLatch(1);
    Thread onCtrlC = null;
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryConfig(clientProperties))) {
      BenchTarget target = new BenchTarget(clientProperties, registry, cluster.schemaRegistryUrl(), topics(), http, base64);
      BenchPreflight.check(target);
      BenchRun run = new BenchRun(settings, target, BenchClock.system(), ProgressLine.to(err, System.console() != null));
      onCtrlC = stopOnCtrlC(run, reported, settings.timeout().plusSeconds(10));
      report = run.run();
    } finally {
      if (onCtrlC == null) {
        reported.countDown();
      }
    }
    try {
      return report(report, reportFile, out, err);
    } finally {
      reported.countDown();
    }
  }

  /** Ctrl-C stops sending; the bench still waits for what it sent and writes its report before the JVM ends. */
  private static Thread stopOnCtrlC(BenchRun run, CountDownLatch reported, Duration bound) {
    Thread hook = new Thread(() -> {
      run.stop();
      try {
        reported.await(bound.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sluice-bench-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private int report(BenchReport report, Path reportFile, PrintWriter out, PrintWriter err) {
    out.print(json ? ReportJson.toText(report) + System.lineSeparator() : ReportTable.render(report));
    out.flush();
    if (reportFile != null) {
      try {
        ReportJson.write(report, reportFile);
      } catch (IOException e) {
        throw new UserError("cannot write the report to " + reportFile + ": " + e.getMessage(), e);
      }
      (json ? err : out).println("report: " + reportFile);
      (json ? err : out).flush();
    }
    long duplicates = report.outcomes().measured().duplicates() + report.outcomes().warmup().duplicates();
    if (duplicates > 0) {
      err.println(spec.commandLine().getColorScheme().errorText("sluice: " + duplicates
          + " requests were answered more than once; a read_committed reader must see each outcome once"));
      err.flush();
    }
    return report.exitStatus();
  }

  /** The run's settings from the options; contradictions and bad values are usage errors. */
  BenchSettings settings() {
    if (duration != null && count != null) {
      throw usage("--duration and --count exclude each other: give one");
    }
    if (rate != null && concurrency != null) {
      throw usage("--rate (open loop) and --concurrency (closed loop) exclude each other: give one");
    }
    try {
      LoadMode mode = rate != null ? new LoadMode.OpenLoop(rate) : new LoadMode.ClosedLoop(concurrency != null ? concurrency : DEFAULT_CONCURRENCY);
      Span length = count != null ? new Span.Requests(count) : new Span.Time(duration != null ? duration : DEFAULT_DURATION);
      TextPlan texts = new TextPlan(textSource(), seed, uniqueContent, repeatFraction);
      return new BenchSettings(model, tenant, mode, length, warmup, texts, timeout);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private TextSource textSource() {
    return "builtin".equals(textSource) ? new GeneratedSentences(seed) : FileTexts.read(Path.of(textSource));
  }

  private PipelineTopics topics() {
    try {
      return new PipelineTopics(prefix);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private Path reportFile() {
    if ("-".equals(output)) {
      return null;
    }
    return output != null ? Path.of(output)
        : Path.of("bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
  }

  /** The registry client's settings: the registry keys of --command-config (auth, TLS), the URL, shorter timeouts. */
  private SchemaRegistryClientConfig registryConfig(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(SchemaRegistryClientConfig.URL, cluster.schemaRegistryUrl());
    props.putIfAbsent(SchemaRegistryClientConfig.CONNECT_TIMEOUT_MS, 5_000);
    props.putIfAbsent(SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS, 10_000);
    props.putIfAbsent(SchemaRegistryClientConfig.RETRIES, 2);
    return SchemaRegistryClientConfig.parse(props);
  }

  private boolean base64() {
    if (!httpEncoding.equals("base64") && !httpEncoding.equals("float")) {
      throw usage("--http-encoding must be base64 or float, was " + httpEncoding);
    }
    return httpEncoding.equals("base64");
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Span.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A request count or a duration. */
  static final class SpanConverter implements ITypeConverter<Span> {
    @Override
    public Span convert(String value) {
      try {
        return Span.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
