package dev.sluice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Sluice;
import dev.sluice.loadgen.BenchSettings;
import dev.sluice.loadgen.LoadMode;
import dev.sluice.loadgen.Span;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void withoutRateItIsAClosedLoopOf64ForThirtySecondsOnMinilmAndUniqueContent() {
    BenchSettings settings = parse();

    assertThat(settings.mode()).isEqualTo(new LoadMode.ClosedLoop(64));
    assertThat(settings.length()).isEqualTo(new Span.Time(Duration.ofSeconds(30)));
    assertThat(settings.warmup()).isEqualTo(Span.NONE);
    assertThat(settings.model()).isEqualTo("minilm");
    assertThat(settings.tenant()).isNull();
    assertThat(settings.texts().uniqueContent()).isTrue();
    assertThat(settings.texts().repeatFraction()).isZero();
    assertThat(settings.texts().source().describe()).isEqualTo("builtin");
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rateMakesItAnOpenLoopAndCountReplacesTheDuration() {
    BenchSettings settings = parse("--rate", "250.5", "--count", "1000", "--warmup", "10s", "--model", "other", "--tenant", "t1",
        "--no-unique-content", "--repeat-fraction", "0.3", "--seed", "9", "--timeout", "1500ms");

    assertThat(settings.mode()).isEqualTo(new LoadMode.OpenLoop(250.5));
    assertThat(settings.length()).isEqualTo(new Span.Requests(1000));
    assertThat(settings.warmup()).isEqualTo(new Span.Time(Duration.ofSeconds(10)));
    assertThat(settings.model()).isEqualTo("other");
    assertThat(settings.tenant()).isEqualTo("t1");
    assertThat(settings.texts().uniqueContent()).isFalse();
    assertThat(settings.texts().repeatFraction()).isEqualTo(0.3);
    assertThat(settings.texts().seed()).isEqualTo(9);
    assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(parse("--concurrency", "8", "--duration", "2m", "--warmup", "500").mode()).isEqualTo(new LoadMode.ClosedLoop(8));
    assertThat(parse("--duration", "2m").length()).isEqualTo(new Span.Time(Duration.ofMinutes(2)));
    assertThat(parse("--warmup", "500").warmup()).isEqualTo(new Span.Requests(500));
  }

  @Test
  void contradictoryOrBadOptionsAreUsageErrorsSayingWhatIsWrong() {
    assertThat(run("--duration", "10s", "--count", "5")).isEqualTo(new Run(2, "--duration and --count exclude each other: give one"));
    assertThat(run("--rate", "10", "--concurrency", "5")).isEqualTo(new Run(2, "--rate (open loop) and --concurrency (closed loop) exclude each other: give one"));
    assertThat(run("--rate", "0")).isEqualTo(new Run(2, "the rate must be a positive number of requests per second, got 0.0"));
    assertThat(run("--concurrency", "0")).isEqualTo(new Run(2, "the concurrency must be >= 1, got 0"));
    assertThat(run("--count", "0")).isEqualTo(new Run(2, "the bench must send at least one request: give a positive --count or --duration"));
    assertThat(run("--duration", "10x").firstLine).contains("Invalid value for option '--duration'").contains("use e.g. 500ms, 30s, 2m or 1h");
    assertThat(run("--warmup", "soon").firstLine).contains("Invalid value for option '--warmup'");
    assertThat(run("--repeat-fraction", "1").firstLine).isEqualTo("the repeat fraction must be >= 0 and < 1, got 1.0");
    assertThat(run("--text-source", "/no/such/file").firstLine).startsWith("cannot read the text source /no/such/file");
    assertThat(run("--prefix", "bad prefix").firstLine).startsWith("Invalid value bad prefix for configuration topic.prefix");
  }

  @Test
  void unreachableBrokerIsOneLineSayingWhatToDo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = run("--bootstrap-servers", "localhost:" + closedPort, "--count", "1", "--output", "-");

    assertThat(run.exit).isEqualTo(1);
    assertThat(run.firstLine).startsWith("sluice: cannot reach Kafka at localhost:" + closedPort).contains("./sluice up");
  }

  private static BenchSettings parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings();
  }

  private record Run(int exit, String firstLine) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand()).setExecutionExceptionHandler(new Sluice.OneLineErrors());
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, err.toString().lines().findFirst().orElse("").strip());
  }
}
