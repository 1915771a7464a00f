package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.TensorInput;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressAccountingTest {
  @TempDir Path stateDir;
  IngressHarness ingress;
  TestOutputTopic<byte[], PreparedRequest> inference;

  @BeforeEach
  void start() {
    ingress = new IngressHarness(stateDir, Map.of("ingress.rate.limit.tenant.tight.per.second", "1",
        "ingress.rate.limit.tenant.tight.burst", "1"));
    inference = ingress.inference(MODEL);
    ingress.deploy(MODEL, "v1", 0.5);
    ingress.deploy(MODEL, "v2", 0.5);
    ingress.deploy(IngressHarness.deployment(MODEL, "v3", 0.0).setShadow(true).build());
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void accountsForEveryInputExactlyOnceAcrossAMixedStream() {
    Random random = new Random(42);
    int inputs = 2_000;
    int routedPrimaries = 0;
    int answered = 0;
    int rejected = 0;
    for (int i = 0; i < inputs; i++) {
      sendOneOfEveryKind(random.nextInt(8), i);
      ingress.clock.advance(Duration.ofMillis(random.nextInt(50)));
      for (PreparedRequest prepared : inference.readValuesToList()) {
        if (!prepared.getShadow()) {
          routedPrimaries++;
          if (random.nextBoolean()) {
            ingress.answer(prepared, List.of(1f, 0f));
          }
        }
      }
      answered += ingress.results.readValuesToList().size();
      rejected += ingress.rejected.readValuesToList().size();
    }
    double dropped = ingress.count(IngressMetrics.DEDUP_DROPS);

    assertThat(routedPrimaries + rejected + dropped + answered).isEqualTo(inputs);
    assertThat(routedPrimaries).isPositive();
    assertThat(rejected).isPositive();
    assertThat(dropped).isPositive();
    assertThat(answered).isPositive();
    assertThat(ingress.count(IngressMetrics.ROUTED, "shadow", "false")).isEqualTo(routedPrimaries);
    assertThat(ingress.count(IngressMetrics.ROUTED, "shadow", "true")).isEqualTo(routedPrimaries);
    assertThat(ingress.count(IngressMetrics.CACHE_HITS)).isEqualTo(answered);
    assertThat(ingress.count(IngressMetrics.REJECTIONS)).isEqualTo(rejected);
    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", Stage.DECODE.name())).isEqualTo(inputs);
    assertThat(latencyCount("routed")).isEqualTo(routedPrimaries);
    assertThat(latencyCount("rejected")).isEqualTo(rejected);
    assertThat(latencyCount("cached")).isEqualTo(answered);
    assertThat(latencyCount("dropped")).isEqualTo((long) dropped);
  }

  @Test
  void timesEachRequestFromDecodingToItsOneOutputByOutcome() {
    ingress.send("k1", text("r1", "hello").setIdempotencyKey("idem"));
    ingress.send("k1", text("r2", "hello").setIdempotencyKey("idem"));
    ingress.sendRaw(utf8("k2"), utf8("garbage"), new RecordHeaders());
    ingress.answer(inference.readValuesToList().stream().filter(p -> !p.getShadow()).findFirst().orElseThrow(), List.of(1f, 0f));
    ingress.send("k3", text("r3", "hello"));

    assertThat(latencyCount("routed")).isEqualTo(1);
    assertThat(latencyCount("dropped")).isEqualTo(1);
    assertThat(latencyCount("rejected")).isEqualTo(1);
    assertThat(latencyCount("cached")).isEqualTo(1);
    Timer routed = ingress.meters.get(IngressMetrics.LATENCY).tag("outcome", "routed").timer();
    assertThat(routed.totalTime(TimeUnit.NANOSECONDS)).as("decode to forward took some time").isPositive();
    assertThat(ingress.meters.find(IngressMetrics.LATENCY).timers()).as("one timer per outcome, nothing else").hasSize(4);
  }

  @Test
  void latencyIsAPrometheusHistogramOfBoundedBucketsPerOutcome() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IngressMetrics metrics = new IngressMetrics();
    metrics.bindTo(registry);
    metrics.answered(IngressMetrics.Outcome.ROUTED, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(3));

    List<String> buckets = registry.scrape().lines().filter(line -> line.startsWith("sluice_ingress_latency_seconds_bucket{")).toList();

    assertThat(buckets).as("buckets of the four outcomes").hasSizeBetween(4 * 20, 4 * 80);
    List<String> routed = buckets.stream().filter(line -> line.contains("outcome=\"routed\"")).toList();
    assertThat(routed.get(0)).as("the smallest bucket, 0.1 ms").contains("le=\"1.0E-4\"").endsWith(" 0");
    assertThat(routed.get(routed.size() - 1)).contains("le=\"+Inf\"").endsWith(" 1");
    assertThat(registry.scrape()).contains("sluice_ingress_latency_seconds_count{outcome=\"dropped\"} 0");
  }

  private long latencyCount(String outcome) {
    return ingress.meters.get(IngressMetrics.LATENCY).tag("outcome", outcome).timer().count();
  }

  @Test
  void countsRecordsInAndOutPerStageAndRejectionsByReasonAndStage() {
    ingress.send("k", text("ok", "hello"));
    ingress.sendRaw(utf8("k"), utf8("garbage"), new RecordHeaders());
    ingress.send("k", text("nan", "x").setInput(new TensorInput(List.of(1), List.of(Float.NaN))));

    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", "DECODE")).isEqualTo(3.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_OUT, "stage", "DECODE")).isEqualTo(2.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", "VALIDATE")).isEqualTo(2.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_OUT, "stage", "VALIDATE")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_OUT, "stage", "NORMALIZE")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_IN, "stage", "RATE_LIMIT")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.RECORDS_OUT, "stage", "DEDUP")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.REJECTIONS, "reason", "DESERIALIZATION_FAILED", "stage", "DECODE")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.REJECTIONS, "reason", "NON_FINITE_NUMBER", "stage", "VALIDATE")).isEqualTo(1.0);
    assertThat(ingress.count(IngressMetrics.ROUTED, "model", MODEL)).isEqualTo(2.0);
  }

  private void sendOneOfEveryKind(int kind, int i) {
    switch (kind) {
      case 0 -> ingress.sendRaw(utf8("k" + i), new byte[] {(byte) i, 1, 2}, new RecordHeaders());
      case 1 -> ingress.send("k" + i, text("r" + i, "hello").setModel("unknown"));
      case 2 -> ingress.send("k" + i, text("r" + i, "repeat " + (i % 7)).setIdempotencyKey("idem-" + (i % 7)));
      case 3 -> ingress.send("k" + i, text("r" + i, "popular " + (i % 3)));
      case 4 -> ingress.send("k" + i, text("r" + i, "burst " + i).setTenant("tight"));
      case 5 -> ingress.send("k" + i, text("r" + i, "x").setInput(new TensorInput(List.of(2), List.of(1f))));
      default -> ingress.send("k" + i, text("r" + i, "unique " + i).setTenant("t" + (i % 4)));
    }
  }
}
