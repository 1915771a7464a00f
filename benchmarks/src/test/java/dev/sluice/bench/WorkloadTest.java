package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TextInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void generatesTheSameRequestsForTheSameSeed() {
    assertThat(generate(7, 500)).isEqualTo(generate(7, 500));
    assertThat(generate(7, 500)).isNotEqualTo(generate(8, 500));
  }

  @Test
  void givesEveryRequestADistinctIdAndTextsOfEightToFortyWords() {
    Workload workload = new Workload(1, "t", NOW, 0.5);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      InferenceRequest request = workload.next().request();
      assertThat(ids.add(request.getRequestId())).isTrue();
      String text = ((TextInput) request.getInput()).getText();
      boolean invalidOnPurpose = text.chars().anyMatch(Character::isISOControl);
      if (!invalidOnPurpose) {
        assertThat(text.split(" ")).hasSizeBetween(8, 40);
      }
    }
  }

  @Test
  void countsRefusalsRetriesAndPopularRepeatsAsItGeneratesThem() {
    Workload workload = new Workload(3, "t", NOW, 0.5);
    long unknownModel = 0;
    long expired = 0;
    Set<String> idempotencyKeys = new HashSet<>();
    long repeatedKeys = 0;
    for (int i = 0; i < 20_000; i++) {
      InferenceRequest request = workload.next().request();
      unknownModel += request.getModel().equals(Workload.UNDEPLOYED_MODEL) ? 1 : 0;
      expired += request.getDeadline().isBefore(NOW) ? 1 : 0;
      if (request.getIdempotencyKey() != null && !idempotencyKeys.add(request.getIdempotencyKey())) {
        repeatedKeys++;
      }
    }
    WorkloadExpectations expected = workload.expectations();

    assertThat(expected.requests()).isEqualTo(20_000);
    assertThat(expected.rejections().get(ReasonCode.UNKNOWN_MODEL)).isEqualTo(unknownModel);
    assertThat(expected.rejections().get(ReasonCode.EXPIRED)).isEqualTo(expired);
    assertThat(expected.retries()).isEqualTo(repeatedKeys).isBetween(150L, 250L);
    assertThat(expected.popular()).isBetween(650L, 950L);
  }

  @Test
  void keysRequestsByIdempotencyKeyOrByRequestIdAsAskedAndRetriesBothWays() {
    Workload workload = new Workload(5, "t", NOW, 0.0);
    Set<String> originals = new HashSet<>();
    long retriesByOwnId = 0;
    long retriesByOriginalKey = 0;
    for (int i = 0; i < 20_000; i++) {
      GeneratedRequest next = workload.next();
      String key = new String(next.key(), java.nio.charset.StandardCharsets.UTF_8);
      String idempotencyKey = next.request().getIdempotencyKey();
      if (idempotencyKey == null) {
        assertThat(key).isEqualTo(next.request().getRequestId());
      } else if (originals.add(idempotencyKey)) {
        assertThat(key).as("an original with an idempotency key is keyed by it").isEqualTo(idempotencyKey);
      } else if (key.equals(next.request().getRequestId())) {
        retriesByOwnId++;
      } else {
        assertThat(key).isEqualTo(idempotencyKey);
        retriesByOriginalKey++;
      }
    }
    assertThat(retriesByOwnId).isPositive();
    assertThat(retriesByOriginalKey).isPositive();
  }

  private static List<InferenceRequest> generate(long seed, int count) {
    Workload workload = new Workload(seed, "t", NOW, 0.5);
    List<InferenceRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(workload.next().request());
    }
    return requests;
  }
}
