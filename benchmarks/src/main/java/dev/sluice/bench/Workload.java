package dev.sluice.bench;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TextInput;
import dev.sluice.loadgen.GeneratedSentences;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the benchmark's inference requests from a fixed seed: English sentences of 8 to 40
 * words for the text-embedding model, spread over a few tenants (one of them the default
 * tenant), a quarter with an idempotency key (keyed by it, as {@code sluice send} keys them, or a
 * chosen share of them by request id, which the ingress passes to the task that owns their key),
 * half with a W3C traceparent, a deadline an hour
 * ahead, and known shares of requests the ingress must refuse, retries it must drop and
 * repeats of popular texts it can answer from its result cache:
 *
 * <ul>
 *   <li>0.5 % name a model that is not deployed (UNKNOWN_MODEL);
 *   <li>0.3 % have text of nothing but whitespace and control characters (INVALID_TEXT);
 *   <li>0.2 % have a deadline already past (EXPIRED);
 *   <li>1 % are retries: an earlier request's tenant, text and idempotency key, half under the
 *       earlier request's record key (a producer resending a record), half under their own request
 *       id (a producer that keys by request id);
 *   <li>4 % repeat one of {@value #POPULAR_TEXTS} popular texts;
 *   <li>2 % name version {@value #PINNED_VERSION} explicitly.
 * </ul>
 *
 * <p>Every request id is distinct. Not thread-safe: one generator per producer.
 */
final class Workload {
  /** The deployed model. */
  static final String MODEL = "minilm";
  /** A model name that is never deployed. */
  static final String UNDEPLOYED_MODEL = "minilm-large";
  /** The version a few requests pin. */
  static final String PINNED_VERSION = "v1";
  /** How many popular texts there are. */
  static final int POPULAR_TEXTS = 20;
  /** The tenants, weighted by repetition; null is the default tenant. */
  static final List<String> TENANTS = tenants();

  private static final double UNKNOWN_MODEL_SHARE = 0.005;
  private static final double INVALID_TEXT_SHARE = 0.003;
  private static final double EXPIRED_SHARE = 0.002;
  private static final double RETRY_SHARE = 0.01;
  private static final double POPULAR_SHARE = 0.04;
  private static final double PINNED_SHARE = 0.02;
  private static final double IDEMPOTENT_SHARE = 0.25;
  private static final int RETRY_WINDOW = 1024;
  private static final List<String> CHANNELS = List.of("web", "mobile", "batch", "api");

  private final Random random;
  private final double keyedByRequestId;
  private final String idPrefix;
  private final Instant now;
  private final List<String> popular;
  private final List<GeneratedRequest> retryable = new ArrayList<>();
  private final Map<ReasonCode, Long> rejections = new EnumMap<>(ReasonCode.class);
  private long generated;
  private long retries;
  private long popularCount;
  private final GeneratedSentences texts;
  private long textIndex;
  private long withIdempotencyKey;

  /**
   * A generator.
   *
   * @param seed the seed; equal seeds give equal requests
   * @param idPrefix prefix of request ids and idempotency keys, so rounds do not share them
   * @param now the time requests are created at; deadlines are set from it
   * @param keyedByRequestId the share of requests with an idempotency key keyed by request id
   */
  Workload(long seed, String idPrefix, Instant now, double keyedByRequestId) {
    this.keyedByRequestId = keyedByRequestId;
    this.random = new Random(seed);
    this.idPrefix = idPrefix;
    this.now = now;
    this.texts = new GeneratedSentences(seed);
    this.popular = List.copyOf(new GeneratedSentences(seed ^ 0x5DEECE66DL, 8, 20).first(POPULAR_TEXTS));
  }

  /** The popular texts, whose results the benchmark seeds into the result cache. */
  List<String> popularTexts() {
    return popular;
  }

  /** The next request. */
  GeneratedRequest next() {
    String id = idPrefix + "-" + generated++;
    double kind = random.nextDouble();
    double bound = UNKNOWN_MODEL_SHARE;
    if (kind < bound) {
      return refused(ReasonCode.UNKNOWN_MODEL, request(id, UNDEPLOYED_MODEL, sentence()));
    }
    if (kind < (bound += INVALID_TEXT_SHARE)) {
      return refused(ReasonCode.INVALID_TEXT, request(id, MODEL, " \t\u0007 \u000B  \u001F "));
    }
    if (kind < (bound += EXPIRED_SHARE)) {
      return refused(ReasonCode.EXPIRED, request(id, MODEL, sentence()).setDeadline(now.minus(Duration.ofMinutes(1))));
    }
    if (kind < (bound += RETRY_SHARE) && !retryable.isEmpty()) {
      GeneratedRequest original = retryable.get(random.nextInt(retryable.size()));
      retries++;
      withIdempotencyKey++;
      InferenceRequest retry = InferenceRequest.newBuilder(original.request()).setRequestId(id).build();
      return random.nextBoolean() ? new GeneratedRequest(original.key(), retry) : keyedById(retry);
    }
    if (kind < (bound += POPULAR_SHARE)) {
      popularCount++;
      return keyedById(request(id, MODEL, popular.get(random.nextInt(popular.size()))).build());
    }
    InferenceRequest.Builder request = request(id, MODEL, sentence());
    if (kind < bound + PINNED_SHARE) {
      request.setModelVersion(PINNED_VERSION);
    }
    if (random.nextDouble() < IDEMPOTENT_SHARE) {
      withIdempotencyKey++;
      InferenceRequest idempotent = request.setIdempotencyKey("idem-" + id).build();
      GeneratedRequest keyed = random.nextDouble() < keyedByRequestId ? keyedById(idempotent)
          : new GeneratedRequest(idempotent.getIdempotencyKey().getBytes(StandardCharsets.UTF_8), idempotent);
      remember(keyed);
      return keyed;
    }
    return keyedById(request.build());
  }

  /** What the ingress must make of the requests generated so far. */
  WorkloadExpectations expectations() {
    return new WorkloadExpectations(generated, rejections, retries, popularCount, withIdempotencyKey);
  }

  private InferenceRequest.Builder request(String id, String model, String text) {
    String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
    Instant created = now.minusMillis(random.nextInt(2_000));
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setModel(model)
        .setModelVersion(null)
        .setTenant(tenant)
        .setIdempotencyKey(null)
        .setDeadline(now.plus(Duration.ofHours(1)))
        .setCreatedAt(created)
        .setInput(new TextInput(text))
        .setTraceparent(random.nextBoolean() ? traceparent() : null)
        .setAttributes(Map.of("channel", CHANNELS.get(random.nextInt(CHANNELS.size()))));
  }

  private GeneratedRequest refused(ReasonCode reason, InferenceRequest.Builder request) {
    rejections.merge(reason, 1L, Long::sum);
    return keyedById(request.build());
  }

  private void remember(GeneratedRequest keyed) {
    if (retryable.size() < RETRY_WINDOW) {
      retryable.add(keyed);
    } else {
      retryable.set(random.nextInt(RETRY_WINDOW), keyed);
    }
  }

  private String sentence() {
    return texts.text(textIndex++);
  }

  private String traceparent() {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    random.nextBytes(trace);
    random.nextBytes(span);
    HexFormat hex = HexFormat.of();
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01";
  }

  private static GeneratedRequest keyedById(InferenceRequest request) {
    return new GeneratedRequest(request.getRequestId().getBytes(StandardCharsets.UTF_8), request);
  }

  private static List<String> tenants() {
    List<String> tenants = new ArrayList<>(List.of("acme", "acme", "acme", "acme", "globex", "globex", "globex", "initech", "initech"));
    tenants.add(null);
    return Collections.unmodifiableList(tenants);
  }
}
