package dev.sluice.topology.ingress;

import static dev.sluice.topology.ingress.IngressHarness.MODEL;
import static dev.sluice.topology.ingress.IngressHarness.T0;
import static dev.sluice.topology.ingress.IngressHarness.text;
import static dev.sluice.topology.ingress.IngressHarness.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.TextInput;
import dev.sluice.preprocessing.ContentKeys;
import dev.sluice.preprocessing.ModelRoutes;
import dev.sluice.preprocessing.Outcome;
import dev.sluice.preprocessing.Route;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressStatefulTest {
  private static final List<Float> VECTOR = List.of(0.6f, 0.8f);

  @TempDir Path stateDir;
  IngressHarness ingress;
  TestOutputTopic<byte[], PreparedRequest> inference;

  void start(Map<String, String> overrides) {
    ingress = new IngressHarness(stateDir, overrides);
    inference = ingress.inference(MODEL);
    ingress.deploy(MODEL, "v1", 1.0);
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void rejectsTenantOverItsPartitionsShareOfTheBurstWithRateLimitedAndRetryAfter() {
    start(Map.of("ingress.rate.limit.per.second", "2", "ingress.rate.limit.burst", "4", "ingress.request.partitions", "2"));
    for (int i = 1; i <= 3; i++) {
      ingress.send("k-" + i, text("r-" + i, "text " + i).setTenant("acme"));
    }

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1", "r-2");
    TestRecord<byte[], RejectedRequest> record = ingress.rejected.readRecord();
    RejectedRequest rejection = record.value();
    assertThat(record.key()).isEqualTo(utf8("k-3"));
    assertThat(rejection.getReason()).isEqualTo(ReasonCode.RATE_LIMITED);
    assertThat(rejection.getStage()).isEqualTo(Stage.RATE_LIMIT);
    assertThat(rejection.getRequestId()).isEqualTo("r-3");
    assertThat(rejection.getTenant()).isEqualTo("acme");
    assertThat(rejection.getDetail()).isEqualTo("tenant acme is over its rate limit of 2.0 requests/s (burst 4.0), enforced as"
        + " 1.0 requests/s (burst 2.0) on each of the 2 request partitions; retry after 1000 ms");
    assertThat(IngressValidationTest.bytes(rejection.getOriginalKey())).isEqualTo(utf8("k-3"));
    assertThat(IngressValidationTest.bytes(rejection.getOriginalValue())).isEqualTo(ingress.encode(text("r-3", "text 3").setTenant("acme").build()));
    assertThat(rejection.getSource().getOffset()).isEqualTo(2L);
  }

  @Test
  void dividesRateAndBurstByTheRequestPartitionsKeepingABurstOfAtLeastOne() {
    start(Map.of("ingress.rate.limit.per.second", "1", "ingress.rate.limit.burst", "1", "ingress.request.partitions", "4"));
    ingress.send("k", text("r-1", "a"));
    ingress.send("k", text("r-2", "b"));
    ingress.clock.advance(Duration.ofMillis(3_999));
    ingress.send("k", text("r-3", "c"));
    ingress.clock.advance(Duration.ofMillis(1));
    ingress.send("k", text("r-4", "d"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1", "r-4");
    List<RejectedRequest> rejections = ingress.rejected.readValuesToList();
    assertThat(rejections).extracting(RejectedRequest::getRequestId).containsExactly("r-2", "r-3");
    assertThat(rejections.get(0).getDetail()).contains("enforced as 0.25 requests/s (burst 1.0) on each of the 4 request partitions")
        .endsWith("retry after 4000 ms");
  }

  @Test
  void refillsTheBucketAsTheClockAdvances() {
    start(Map.of("ingress.rate.limit.per.second", "3", "ingress.rate.limit.burst", "3", "ingress.request.partitions", "3"));
    ingress.send("k", text("r-1", "a"));
    ingress.send("k", text("r-2", "b"));
    ingress.clock.advance(Duration.ofSeconds(1));
    ingress.send("k", text("r-3", "c"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1", "r-3");
    assertThat(ingress.rejected.readValue().getRequestId()).isEqualTo("r-2");
  }

  @Test
  void limitsEachTenantOnItsOwnBucketWithPerTenantOverrides() {
    start(Map.of("ingress.rate.limit.per.second", "1", "ingress.rate.limit.burst", "1",
        "ingress.rate.limit.tenant.vip.per.second", "100", "ingress.rate.limit.tenant.vip.burst", "100"));
    for (int i = 0; i < 3; i++) {
      ingress.send("k", text("vip-" + i, "v" + i).setTenant("vip"));
      ingress.send("k", text("other-" + i, "o" + i).setTenant("other"));
      ingress.send("k", text("none-" + i, "n" + i));
    }

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId)
        .containsExactlyInAnyOrder("vip-0", "vip-1", "vip-2", "other-0", "none-0");
    assertThat(ingress.rejected.readValuesToList()).hasSize(4);
  }

  @Test
  void dropsRepeatedIdempotencyKeyWithinTheTtlAndCountsIt() {
    start(Map.of("ingress.dedup.ttl.ms", "60000"));
    ingress.send("k", text("r-1", "first").setIdempotencyKey("idem-1"));
    ingress.clock.advance(Duration.ofSeconds(59));
    ingress.send("k", text("r-1-retry", "first").setIdempotencyKey("idem-1"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1");
    assertThat(ingress.rejected.isEmpty()).isTrue();
    assertThat(ingress.results.isEmpty()).isTrue();
    assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isEqualTo(1.0);
  }

  @Test
  void passesRepeatedIdempotencyKeyAfterTheTtl() {
    start(Map.of("ingress.dedup.ttl.ms", "60000"));
    ingress.send("k", text("r-1", "first").setIdempotencyKey("idem-1"));
    ingress.clock.advance(Duration.ofSeconds(60));
    ingress.send("k", text("r-2", "first").setIdempotencyKey("idem-1"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1", "r-2");
    assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isZero();
  }

  @Test
  void scopesIdempotencyKeysByTenant() {
    start(Map.of());
    ingress.send("k", text("r-1", "x").setIdempotencyKey("same").setTenant("a"));
    ingress.send("k", text("r-2", "x").setIdempotencyKey("same").setTenant("b"));

    assertThat(inference.readValuesToList()).hasSize(2);
  }

  @Test
  void purgesExpiredDedupEntriesOnTheWallClockPunctuator() {
    start(Map.of("ingress.dedup.ttl.ms", "10000"));
    ingress.send("k", text("r-1", "x").setIdempotencyKey("a"));
    ingress.send("k", text("r-2", "y").setIdempotencyKey("b"));
    KeyValueStore<String, Long> dedup = ingress.driver.getKeyValueStore(IngressStores.DEDUP);
    assertThat(dedup.approximateNumEntries()).isEqualTo(2);

    ingress.clock.advance(Duration.ofSeconds(10));
    ingress.driver.advanceWallClockTime(Duration.ofSeconds(10));

    assertThat(dedup.get("default|idem:a")).isNull();
    assertThat(dedup.get("default|idem:b")).isNull();
    assertThat(ingress.count(IngressMetrics.DEDUP_EXPIRED)).isEqualTo(2.0);
  }

  @Test
  void purgeRemovesOnlyExpiredDedupEntriesAndTheirIndexEntries() {
    start(Map.of("ingress.dedup.ttl.ms", "10000"));
    ingress.send("k", text("r-1", "x").setIdempotencyKey("old"));
    ingress.clock.advance(Duration.ofSeconds(5));
    ingress.send("k", text("r-2", "y").setIdempotencyKey("new"));
    KeyValueStore<String, Long> dedup = ingress.driver.getKeyValueStore(IngressStores.DEDUP);
    KeyValueStore<Bytes, byte[]> byFirstSeen = ingress.driver.getKeyValueStore(IngressStores.DEDUP_EXPIRY);
    assertThat(entries(byFirstSeen)).isEqualTo(2);

    ingress.clock.advance(Duration.ofSeconds(5));
    ingress.driver.advanceWallClockTime(Duration.ofSeconds(10));

    assertThat(dedup.get("default|idem:old")).isNull();
    long newSeen = T0.toEpochMilli() + 5_000;
    assertThat(dedup.get("default|idem:new")).isEqualTo(newSeen);
    assertThat(byFirstSeen.get(DedupWindow.indexKey(T0.toEpochMilli(), "default|idem:old"))).isNull();
    assertThat(byFirstSeen.get(DedupWindow.indexKey(newSeen, "default|idem:new"))).isNotNull();
    assertThat(entries(byFirstSeen)).isEqualTo(1);
    assertThat(ingress.count(IngressMetrics.DEDUP_EXPIRED)).isEqualTo(1.0);
    ingress.send("k", text("r-3", "y").setIdempotencyKey("new"));
    assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isEqualTo(1.0);
  }

  @Test
  void answersSameContentFromTheCacheUnderTheNewRequestId() {
    start(Map.of());
    ingress.send("k-1", text("r-1", "Hello   World").setTenant("acme"));
    PreparedRequest first = inference.readValue();
    ingress.answer(first, VECTOR);
    ingress.clock.advance(Duration.ofSeconds(2));
    ingress.send("k-2", text("r-2", " Hello World ").setTenant("acme").setTraceparent("00-cc-dd-01")
        .setCreatedAt(ingress.clock.instant().minusMillis(5)).setAttributes(Map.of("n", "2")));

    assertThat(inference.isEmpty()).isTrue();
    TestRecord<byte[], InferenceResult> record = ingress.results.readRecord();
    InferenceResult answer = record.value();
    assertThat(record.key()).isEqualTo(utf8("k-2"));
    assertThat(answer.getRequestId()).isEqualTo("r-2");
    assertThat(answer.getCached()).isTrue();
    assertThat(answer.getStatus()).isEqualTo(Status.OK);
    assertThat(answer.getOutput()).isEqualTo(new Embedding(VECTOR));
    assertThat(answer.getModelVersion()).isEqualTo("v1");
    assertThat(answer.getContentKey()).isEqualTo(first.getContentKey());
    assertThat(answer.getBatchSize()).isZero();
    assertThat(answer.getWorkerId()).isNull();
    assertThat(answer.getTenant()).isEqualTo("acme");
    assertThat(answer.getTraceparent()).isEqualTo("00-cc-dd-01");
    assertThat(answer.getAttributes()).containsEntry("n", "2");
    assertThat(answer.getTimings().getEndToEndMs()).isEqualTo(5.0);
    assertThat(answer.getCompletedAt()).isEqualTo(ingress.clock.instant());
    assertThat(ingress.count(IngressMetrics.CACHE_HITS, "model", MODEL, "version", "v1")).isEqualTo(1.0);
    assertThat(ingress.results.isEmpty()).as("the cached answer is not fed back into the cache as a new result").isTrue();
  }

  @Test
  void answersARepeatRoutedToAnotherServingVersionWithTheAnswerOfTheVersionThatHasOne() {
    start(Map.of());
    ingress.deploy(MODEL, "v1", 0.9);
    ingress.deploy(MODEL, "v2", 0.1);
    String toV1 = keyRoutedTo("v1");
    String toV2 = keyRoutedTo("v2");
    ingress.send(toV1, text("r-1", "the same words").setTenant("acme"));
    PreparedRequest first = inference.readValue();
    assertThat(first.getModelVersion()).isEqualTo("v1");
    ingress.answer(first, VECTOR);

    ingress.send(toV2, text("r-2", "the same words").setTenant("acme"));
    ingress.send(toV2, text("r-3", "the same words").setTenant("acme").setModelVersion("v2"));

    InferenceResult answer = ingress.results.readValue();
    assertThat(answer.getRequestId()).isEqualTo("r-2");
    assertThat(answer.getCached()).isTrue();
    assertThat(answer.getModelVersion()).as("the version whose output it is").isEqualTo("v1");
    assertThat(ingress.count(IngressMetrics.CACHE_HITS, "model", MODEL, "version", "v1")).isEqualTo(1.0);
    assertThat(inference.readValuesToList()).as("a request that names its version gets that version's answer only")
        .extracting(PreparedRequest::getRequestId, PreparedRequest::getModelVersion).containsExactly(tuple("r-3", "v2"));
  }

  @Test
  void neverAnswersWithTheCachedOutputOfAVersionThatNoLongerServes() {
    start(Map.of());
    ingress.deploy(MODEL, "v1", 0.0);
    ingress.deploy(MODEL, "v2", 1.0);
    String key = "k-any";
    ingress.send(key, text("r-1", "rolled back words"));
    PreparedRequest first = inference.readValue();
    assertThat(first.getModelVersion()).isEqualTo("v2");
    ingress.answer(first, VECTOR);
    ingress.deploy(MODEL, "v2", 0.0);
    ingress.deploy(MODEL, "v1", 1.0);

    ingress.send(key, text("r-2", "rolled back words"));

    assertThat(ingress.results.isEmpty()).isTrue();
    assertThat(inference.readValue().getModelVersion()).isEqualTo("v1");
  }

  /** A record key that v1 (weight 0.9) and v2 (weight 0.1) route to the given version. */
  private static String keyRoutedTo(String version) {
    ModelRoutes routes = ModelRoutes.of(List.of(IngressHarness.deployment(MODEL, "v1", 0.9).build(),
        IngressHarness.deployment(MODEL, "v2", 0.1).build()), MODEL);
    for (int i = 0; ; i++) {
      if (((Outcome.Accepted<Route>) routes.route(null, "key-" + i)).value().primary().getVersion().equals(version)) {
        return "key-" + i;
      }
    }
  }

  @Test
  void answersARepeatOfContentWhoseResultWasProducedForARequestOnAnotherPartition() {
    start(Map.of("ingress.request.partitions", "3"));
    String contentKey = ContentKeys.contentKey(MODEL, new TextInput("Rivers run to the sea"));
    ingress.answer("elsewhere-1", "v1", "acme", contentKey, false, VECTOR);

    TestRecord<String, InferenceResult> cacheRecord = ingress.resultCache.readRecord();
    assertThat(cacheRecord.key()).isEqualTo("acme|minilm/v1|" + contentKey);
    assertThat(cacheRecord.value().getRequestId()).isEqualTo("elsewhere-1");
    assertThat(ingress.count(IngressMetrics.CACHE_FILLS)).isEqualTo(1.0);

    ingress.send("k-here", text("r-here", "  Rivers   run to the sea").setTenant("acme"));

    assertThat(inference.isEmpty()).as("never routed: this task never saw the first request").isTrue();
    InferenceResult answer = ingress.results.readValue();
    assertThat(answer.getRequestId()).isEqualTo("r-here");
    assertThat(answer.getCached()).isTrue();
    assertThat(answer.getOutput()).isEqualTo(new Embedding(VECTOR));
  }

  @Test
  void keepsAtMostCacheMaxEntriesEvictingTheLeastRecentlyUsed() {
    start(Map.of("ingress.cache.max.entries", "2"));
    for (String text : List.of("one", "two", "three")) {
      ingress.answer("seed-" + text, "v1", null, ContentKeys.contentKey(MODEL, new TextInput(text)), false, VECTOR);
    }
    ingress.send("k", text("r-1", "one"));
    ingress.send("k", text("r-3", "three"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-1");
    assertThat(ingress.results.readValuesToList()).extracting(InferenceResult::getRequestId).containsExactly("r-3");
    KeyValueStore<String, byte[]> cache = ingress.driver.getKeyValueStore(IngressStores.RESULT_CACHE);
    assertThat(cache.approximateNumEntries()).isEqualTo(2);
  }

  @Test
  void skipsUndecodableResultsAndKeepsFeedingTheCache() {
    start(Map.of());
    ingress.driver.createInputTopic(ingress.topics.results(), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput(utf8("k"), utf8("not avro"));
    ingress.driver.createInputTopic(ingress.topics.resultCache(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput("default|minilm/v1|abc", utf8("not avro either"));
    ingress.send("k", text("r-1", "hello"));
    ingress.answer(inference.readValue(), VECTOR);
    ingress.send("k", text("r-2", "hello"));

    assertThat(ingress.results.readValue().getRequestId()).isEqualTo("r-2");
    assertThat(ingress.count(IngressMetrics.CACHE_FILLS)).isEqualTo(1.0);
  }

  @Test
  void neverCachesAResultAlreadyOlderThanTheTtl() {
    start(Map.of("ingress.cache.ttl.ms", "30000"));
    String contentKey = ContentKeys.contentKey(MODEL, new TextInput("late"));
    ingress.answer("r-0", "v1", null, contentKey, false, VECTOR);
    ingress.clock.advance(Duration.ofSeconds(30));
    ingress.workerResults.pipeInput(utf8("k"), InferenceResult.newBuilder().setRequestId("r-old").setModel(MODEL).setModelVersion("v1")
        .setStatus(Status.OK).setOutput(new Embedding(VECTOR)).setContentKey(ContentKeys.contentKey(MODEL, new TextInput("older")))
        .setCompletedAt(ingress.clock.instant().minusSeconds(30)).build());

    assertThat(ingress.resultCache.readValuesToList()).extracting(InferenceResult::getRequestId).containsExactly("r-0");
  }

  @Test
  void missesTheCacheOnceTheResultIsOlderThanTheTtl() {
    start(Map.of("ingress.cache.ttl.ms", "30000"));
    ingress.send("k", text("r-1", "hello"));
    ingress.answer(inference.readValue(), VECTOR);
    ingress.clock.advance(Duration.ofSeconds(30));
    ingress.send("k", text("r-2", "hello"));

    assertThat(inference.readValue().getRequestId()).isEqualTo("r-2");
    assertThat(ingress.results.isEmpty()).isTrue();
  }

  @Test
  void keepsCachedResultsApartByTenantAndVersion() {
    start(Map.of());
    ingress.send("k", text("r-1", "hello").setTenant("a"));
    ingress.answer(inference.readValue(), VECTOR);
    ingress.send("k", text("r-2", "hello").setTenant("b"));
    ingress.deploy(MODEL, "v2", 1.0);
    ingress.send("k", text("r-3", "hello").setTenant("a").setModelVersion("v2"));

    assertThat(inference.readValuesToList()).extracting(PreparedRequest::getRequestId).containsExactly("r-2", "r-3");
    assertThat(ingress.results.isEmpty()).isTrue();
  }

  @Test
  void neverFillsTheCacheFromShadowOrFailedResults() {
    start(Map.of());
    ingress.send("k", text("r-1", "hello"));
    PreparedRequest first = inference.readValue();
    ingress.workerResults.pipeInput(utf8("k"), InferenceResult.newBuilder()
        .setRequestId("r-1").setModel(MODEL).setModelVersion("v1").setStatus(Status.ERROR).setError("boom")
        .setContentKey(first.getContentKey()).setCompletedAt(T0).build());
    ingress.workerResults.pipeInput(utf8("k"), InferenceResult.newBuilder()
        .setRequestId("r-1").setModel(MODEL).setModelVersion("v1").setStatus(Status.OK).setOutput(new Embedding(VECTOR))
        .setShadow(true).setContentKey(first.getContentKey()).setCompletedAt(T0).build());
    ingress.send("k", text("r-2", "hello"));

    assertThat(inference.readValue().getRequestId()).isEqualTo("r-2");
    assertThat(ingress.count(IngressMetrics.CACHE_FILLS)).isZero();
  }

  @Test
  void alwaysRoutesWhenTheCacheIsTurnedOff() {
    start(Map.of("ingress.cache.ttl.ms", "0"));
    ingress.send("k", text("r-1", "hello"));
    ingress.answer(inference.readValue(), VECTOR);
    ingress.send("k", text("r-2", "hello"));

    assertThat(inference.readValue().getRequestId()).isEqualTo("r-2");
    assertThat(ingress.resultCache.isEmpty()).as("nothing fed to the cache topic").isTrue();
  }

  @Test
  void dropsARetryEvenWhenItsFirstAttemptWasAnsweredFromTheCache() {
    start(Map.of());
    ingress.send("k", text("r-1", "hello"));
    ingress.answer(inference.readValue(), VECTOR);
    ingress.send("k", text("r-2", "hello").setIdempotencyKey("once"));
    ingress.send("k", text("r-2", "hello").setIdempotencyKey("once"));

    assertThat(ingress.results.readValuesToList()).extracting(InferenceResult::getRequestId).containsExactly("r-2");
    assertThat(ingress.count(IngressMetrics.DEDUP_DROPS)).isEqualTo(1.0);
  }

  /** The entries a store holds, counted (RocksDB's approximate count also counts overwritten keys). */
  private static long entries(KeyValueStore<Bytes, byte[]> store) {
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      long count = 0;
      while (all.hasNext()) {
        all.next();
        count++;
      }
      return count;
    }
  }
}
