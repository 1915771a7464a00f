package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.schemas.topics.RecordBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random and mutated requests through the real ingress topology: every input
 * record must end as exactly one routed request or one dead letter (told apart by their source
 * offsets, the result cache being off and no two requests sharing an idempotency key), every
 * dead letter must fit in a record, and the topology must never throw. Seeded, so a failure
 * replays; {@code -Dsluice.fuzz.records=N} sends more.
 */
class IngressFuzzTest {
  private static final int RECORDS = Integer.getInteger("sluice.fuzz.records", 3000);
  private static final RecordBudget BUDGET = new RecordBudget(RecordBudget.DEFAULT_MAX_REQUEST_SIZE);

  @TempDir Path stateDir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 20261204L})
  void everyRecordEndsAsOneRoutedRequestOrOneDeadLetter(long seed) {
    Random random = new Random(seed);
    try (IngressHarness ingress = new IngressHarness(stateDir, Map.of("ingress.cache.ttl.ms", "0", "ingress.rate.limit.per.second", "0"))) {
      ingress.deploy(MODEL, "v1", 1.0);
      RequestFuzzer fuzzer = new RequestFuzzer(random, ingress.clock.instant(), request -> ingress.encode(request));
      Map<Long, String> kinds = new HashMap<>();
      for (long offset = 0; offset < RECORDS; offset++) {
        RequestFuzzer.Fuzzed fuzzed = fuzzer.next(offset);
        kinds.put(offset, fuzzed.kind());
        ingress.requests.pipeInput(new TestRecord<>(fuzzed.key(), fuzzed.value(), fuzzed.headers(), fuzzed.timestamp()));
      }

      Set<Long> ended = new HashSet<>();
      List<String> twice = new ArrayList<>();
      List<String> faults = new ArrayList<>();
      for (PreparedRequest routed : ingress.inference(MODEL).readValuesToList()) {
        if (!ended.add(routed.getSource().getOffset())) {
          twice.add("routed " + routed.getSource().getOffset() + " (" + kinds.get(routed.getSource().getOffset()) + ")");
        }
      }
      for (TestRecord<byte[], RejectedRequest> dead : ingress.rejected.readRecordsToList()) {
        long offset = dead.value().getSource().getOffset();
        if (dead.value().getStage() == dev.sluice.avro.Stage.OTHER) {
          faults.add(kinds.get(offset) + ": " + dead.value().getDetail());
        }
        if (!ended.add(offset)) {
          twice.add("dead-lettered " + offset + " (" + kinds.get(offset) + ")");
        }
        byte[] encoded = new ByteArraySerializer().serialize("t",
            new dev.sluice.schemas.serde.AvroSerializer<RejectedRequest>(ingress.registry).serialize(ingress.topics.rejected(), dead.value()));
        assertThat(BUDGET.fits(dead.key(), encoded, dead.headers())).as("dead letter of offset %s fits", offset).isTrue();
      }
      Set<Long> missing = new HashSet<>(kinds.keySet());
      missing.removeAll(ended);
      assertThat(twice).as("records that ended twice").isEmpty();
      assertThat(missing).as("records that never ended, by kind").extracting(kinds::get).isEmpty();
      assertThat(faults).as("records the request path failed on").isEmpty();
      assertThat(ingress.count(IngressMetrics.RECORD_FAILURES)).as("unexpected faults").isZero();
    }
  }
}
