package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random and mutated prepared requests through the real worker loop (fake model,
 * MockConsumer, transactional MockProducer): every consumed record must end as exactly one
 * result or one dead letter, committed, and the loop must never stop. Seeded, so a failure
 * replays; {@code -Dsluice.fuzz.records=N} sends more.
 */
class WorkerFuzzTest {
  private static final int RECORDS = Integer.getInteger("sluice.fuzz.records", 3000);
  private static final long[] MILLIS = {Long.MIN_VALUE, -8_640_000_000_000_000L, -1, 0, 8_640_000_000_000_000L, Long.MAX_VALUE};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7L, 20261204L})
  void everyRecordEndsAsOneResultOrOneDeadLetter(long seed) {
    Random random = new Random(seed);
    WorkerHarness harness = new WorkerHarness(Map.of("producer.max.request.size", "200000"));
    harness.startServing();
    AvroSerializer<Object> avro = new AvroSerializer<>(harness.registry);
    Map<String, String> kindById = new HashMap<>();
    Map<String, String> kindByPosition = new HashMap<>();
    for (int n = 0; n < RECORDS; n++) {
      String id = "fuzz-" + n;
      int partition = n % 2;
      int kind = random.nextInt(10);
      PreparedRequest request = WorkerHarness.request(id, "v1", "text " + random.nextInt(1000));
      String name = switch (kind) {
        case 0 -> {
          request.setCreatedAt(Instant.ofEpochMilli(MILLIS[random.nextInt(MILLIS.length)]));
          request.setDeadline(random.nextBoolean() ? Instant.ofEpochMilli(MILLIS[random.nextInt(MILLIS.length)]) : null);
          yield "timestamps at the ends of time";
        }
        case 1 -> {
          request.setInput(new TensorInput(List.of(1), List.of(random.nextFloat())));
          yield "input the model cannot take";
        }
        case 2 -> {
          request.setInput(new TextInput(FakeRunner.POISON + random.nextInt()));
          yield "input the model fails on";
        }
        case 3 -> {
          request.setInput(new TextInput(FakeRunner.HUGE));
          yield "output too large";
        }
        case 4 -> {
          request.setAttributes(Map.of("blob", "x".repeat(150_000 + random.nextInt(100_000))));
          yield "attributes too large for any result";
        }
        case 5 -> {
          request.setModelVersion(random.nextBoolean() ? "v9" : "");
          request.setInput(new TabularInput(Map.of("x", 1.0)));
          yield "unknown version";
        }
        case 6 -> "bytes";
        default -> "valid";
      };
      ConsumerRecord<byte[], byte[]> record;
      if (name.equals("bytes")) {
        byte[] encoded = avro.serialize(WorkerHarness.TOPIC, request);
        byte[] value = switch (random.nextInt(4)) {
          case 0 -> null;
          case 1 -> Arrays.copyOf(encoded, random.nextInt(encoded.length));
          case 2 -> {
            byte[] flipped = encoded.clone();
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
            yield flipped;
          }
          default -> new byte[random.nextInt(2_000_000)];
        };
        record = harness.offerRaw(partition, id.getBytes(StandardCharsets.UTF_8), value);
      } else {
        record = harness.offer(partition, request);
      }
      kindById.put(id, name);
      kindByPosition.put(record.partition() + "@" + record.offset(), name);
    }

    for (int turn = 0; turn < RECORDS * 4 && harness.results().size() + harness.deadLetters().size() < RECORDS; turn++) {
      harness.clock.advance(Duration.ofMillis(10));
      harness.registryRead();
      harness.step();
    }

    assertThat(harness.worker.failure()).isEmpty();
    Map<String, Integer> ends = new HashMap<>();
    for (InferenceResult result : harness.results()) {
      ends.merge(result.getRequestId(), 1, Integer::sum);
    }
    List<String> deadById = new ArrayList<>();
    for (RejectedRequest dead : harness.deadLetters()) {
      String position = dead.getSource().getPartition() + "@" + dead.getSource().getOffset();
      assertThat(kindByPosition).containsKey(position);
      deadById.add(position);
    }
    long results = ends.size();
    assertThat(ends.values()).as("requests answered more than once").allMatch(count -> count == 1);
    assertThat(deadById).as("records dead-lettered more than once").doesNotHaveDuplicates();
    assertThat(results + deadById.size()).as("results and dead letters of %s records", RECORDS).isEqualTo(RECORDS);
    assertThat(harness.producer.history()).allSatisfy(record -> assertThat(record.value().length).isLessThanOrEqualTo(200_000));
  }
}
