package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a real broker and registry. The pipeline does not run here: {@link
 * PipelineStandIn}, a test double, answers the requests.
 */
@RealKafka(schemaRegistry = true)
class BenchRunRealKafkaTest {

  @Test
  void accountsForEveryRequestCountingRejectionsErrorsDuplicatesAndMissingOnes(KafkaCluster kafka) throws Exception {
    PipelineTopics topics = PipelineStandIn.createTopics(kafka, "acct");
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()))) {
      BenchTarget target = new BenchTarget(kafka.adminClientProperties(), registry, kafka.schemaRegistryUrl(), topics);
      // Requests are numbered by their index (the id's last part): 3 is rejected (as undecodable, by key),
      // 4 is rejected RATE_LIMITED, 5 fails with ERROR, 7 goes missing, 9 is answered twice, 11 comes from the cache;
      // every request also draws a result for somebody else's request, which the bench must ignore.
      PipelineStandIn.Answer answer = request -> {
        seen.add(request.getRequestId());
        long index = Long.parseLong(request.getRequestId().substring(request.getRequestId().lastIndexOf('-') + 1));
        List<ProducerRecord<String, SpecificRecord>> out = new ArrayList<>();
        InferenceRequest foreign = InferenceRequest.newBuilder(request).setRequestId("somebody-else-" + index).build();
        out.add(PipelineStandIn.result(topics.results(), foreign, Status.OK, false));
        switch ((int) index) {
          case 3 -> out.add(PipelineStandIn.undecodable(topics.rejected(), request, ReasonCode.DESERIALIZATION_FAILED));
          case 4 -> out.add(PipelineStandIn.rejected(topics.rejected(), request, ReasonCode.RATE_LIMITED));
          case 5 -> out.add(PipelineStandIn.result(topics.results(), request, Status.ERROR, false));
          case 7 -> { }
          case 9 -> {
            out.add(PipelineStandIn.result(topics.results(), request, Status.OK, false));
            out.add(PipelineStandIn.result(topics.results(), request, Status.OK, false));
          }
          default -> out.add(PipelineStandIn.result(topics.results(), request, Status.OK, index == 11));
        }
        return out;
      };
      BenchSettings settings = new BenchSettings("minilm", "t1", new LoadMode.OpenLoop(200), new Span.Requests(30), Span.NONE,
          new TextPlan(new GeneratedSentences(3), 3, true, 0), Duration.ofSeconds(3));
      BenchPreflight.check(target);

      BenchReport report;
      try (PipelineStandIn standIn = new PipelineStandIn(kafka.adminClientProperties(), registry, topics, answer).start()) {
        report = new BenchRun(settings, target, BenchClock.system(), ProgressLine.none()).run();
        assertThat(standIn.failure()).isNull();
      }

      PhaseFigures m = report.outcomes().measured();
      assertThat(seen).hasSize(30).allMatch(id -> id.startsWith(report.runId() + "-"));
      assertThat(m.sent()).isEqualTo(30);
      assertThat(m.ok()).isEqualTo(26);
      assertThat(m.cached()).isEqualTo(1);
      assertThat(m.error()).isEqualTo(1);
      assertThat(m.expired()).isZero();
      assertThat(m.rejectedByReason()).isEqualTo(Map.of("DESERIALIZATION_FAILED", 1L, "RATE_LIMITED", 1L));
      assertThat(m.missing()).isEqualTo(1);
      assertThat(m.duplicates()).isEqualTo(1);
      assertThat(m.sendFailures()).isZero();
      assertThat(m.answered()).isEqualTo(29);
      assertThat(m.latency().count()).isEqualTo(26);
      assertThat(m.latency().maxMs()).isPositive().isLessThan(3_000);
      assertThat(report.outcomes().missingIds()).containsExactly(report.runId() + "-7");
      assertThat(report.outcomes().duplicateIds()).containsExactly(report.runId() + "-9");
      assertThat(report.generator().sent()).isEqualTo(30);
      assertThat(report.exitStatus()).isEqualTo(1);
    }
  }

}
