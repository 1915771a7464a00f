package dev.sluice.topology.ingress;

import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The ingress's Micrometer meters. Names are dotted lowercase; tags are low-cardinality: the
 * {@code stage} and {@code reason} tags carry the names of the Avro {@link Stage} and
 * {@link ReasonCode} enums exactly as the dead letters carry them, {@code model} and
 * {@code version} the deployed model versions.
 *
 * <ul>
 *   <li>{@value #RECORDS_IN} / {@value #RECORDS_OUT} (tag {@code stage}): records entering and
 *       passing each stage;
 *   <li>{@value #REJECTIONS} (tags {@code reason}, {@code stage}): dead letters written;
 *   <li>{@value #DEDUP_DROPS}: repeated idempotency keys dropped inside the dedup TTL;
 *   <li>{@value #DEDUP_EXPIRED}: dedup entries purged after their TTL;
 *   <li>{@value #CACHE_HITS} (tags {@code model}, {@code version}): requests answered from the
 *       result cache;
 *   <li>{@value #CACHE_FILLS}: results put into this instance's result cache (the global store
 *       over {@code <prefix>.results.cache}, loading at start included);
 *   <li>{@value #ROUTED} (tags {@code model}, {@code version}, {@code shadow}): prepared requests
 *       written to an inference topic, shadow copies included;
 *   <li>{@value #REROUTED}: requests passed to the task that owns their idempotency key (each
 *       counted through DECODE once, where it was first decoded in full: usually the owner);
 *   <li>{@value #RECORD_FAILURES}: records the request path failed on unexpectedly (a bug met by
 *       one record's content); each also became a dead letter with reason OTHER;
 *   <li>{@value #LATENCY} (Timer, percentile histogram; tag {@code outcome}, one of {@link Outcome}):
 *       from the start of a request's decoding to the forward of its one outcome in this task. A
 *       request passed to the task that owns its idempotency key is timed there, from its decoding
 *       there, so each request is timed once.
 * </ul>
 *
 * <p>Bind it ({@link #bindTo}) before the topology runs. Thread-safe: one instance serves every
 * stream thread. Meters are resolved once per tag combination and kept, so the per-record cost is
 * a counter increment.
 */
public final class IngressMetrics implements MeterBinder {
  /** Records entering a stage. */
  public static final String RECORDS_IN = "sluice.ingress.records.in";
  /** Records passing a stage. */
  public static final String RECORDS_OUT = "sluice.ingress.records.out";
  /** Dead letters by reason and stage. */
  public static final String REJECTIONS = "sluice.ingress.rejections";
  /** Duplicates dropped. */
  public static final String DEDUP_DROPS = "sluice.ingress.dedup.drops";
  /** Dedup entries purged after their TTL. */
  public static final String DEDUP_EXPIRED = "sluice.ingress.dedup.expired";
  /** Requests answered from the result cache. */
  public static final String CACHE_HITS = "sluice.ingress.cache.hits";
  /** Results put into the result cache. */
  public static final String CACHE_FILLS = "sluice.ingress.cache.fills";
  /** Prepared requests written to inference topics. */
  public static final String ROUTED = "sluice.ingress.routed";
  /** Requests passed to the task that owns their idempotency key. */
  public static final String REROUTED = "sluice.ingress.rerouted";
  /** Records the request path failed on, each dead-lettered. */
  public static final String RECORD_FAILURES = "sluice.ingress.record.failures";
  /** Decode start to output, by outcome. */
  public static final String LATENCY = "sluice.ingress.latency";

  /** The one outcome of a request, the {@code outcome} tag of {@value #LATENCY}. */
  enum Outcome {
    /** Written to an inference topic. */
    ROUTED,
    /** Written to the dead-letter topic. */
    REJECTED,
    /** Answered from the result cache. */
    CACHED,
    /** Dropped as a retry of an idempotency key. */
    DROPPED;

    final String tag = name().toLowerCase(Locale.ROOT);
  }

  private MeterRegistry registry;
  private final Map<Stage, Counter> in = new EnumMap<>(Stage.class);
  private final Map<Stage, Counter> out = new EnumMap<>(Stage.class);
  private Counter dedupDrops;
  private Counter dedupExpired;
  private Counter cacheFills;
  private Counter recordFailures;
  private Counter rerouted;
  private final Map<Outcome, Timer> latency = new EnumMap<>(Outcome.class);
  private final ConcurrentMap<List<String>, Counter> rejections = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Counter> cacheHits = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, Counter> routed = new ConcurrentHashMap<>();

  /**
   * Registers the fixed meters on a registry; the tagged ones follow there as tags appear.
   *
   * @param registry where the meters live
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (Stage stage : Stage.values()) {
      in.put(stage, Counter.builder(RECORDS_IN).description("Records entering an ingress stage")
          .tag("stage", stage.name()).register(registry));
      out.put(stage, Counter.builder(RECORDS_OUT).description("Records passing an ingress stage")
          .tag("stage", stage.name()).register(registry));
    }
    dedupDrops = Counter.builder(DEDUP_DROPS).description("Repeated idempotency keys dropped within the dedup TTL").register(registry);
    dedupExpired = Counter.builder(DEDUP_EXPIRED).description("Dedup entries purged after their TTL").register(registry);
    cacheFills = Counter.builder(CACHE_FILLS).description("Results put into the result cache").register(registry);
    rerouted = Counter.builder(REROUTED).description("Requests passed to the task that owns their idempotency key").register(registry);
    recordFailures = Counter.builder(RECORD_FAILURES).description("Records the request path failed on, each dead-lettered")
        .register(registry);
    for (Outcome outcome : Outcome.values()) {
      latency.put(outcome, Timer.builder(LATENCY).description("Ingress time from the start of decoding to the request's output")
          .tag("outcome", outcome.tag).publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10)).register(registry));
    }
  }

  /** A request's outcome was forwarded; {@code startedNanos} is {@link System#nanoTime()} at the start of its decoding. */
  void answered(Outcome outcome, long startedNanos) {
    latency.get(outcome).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  void rerouted() {
    rerouted.increment();
  }

  void recordFailed() {
    recordFailures.increment();
  }

  void entered(Stage stage) {
    in.get(stage).increment();
  }

  void passed(Stage stage) {
    out.get(stage).increment();
  }

  void rejected(ReasonCode reason, Stage stage) {
    rejections.computeIfAbsent(List.of(reason.name(), stage.name()), key -> Counter.builder(REJECTIONS)
        .description("Requests refused, by reason code and stage")
        .tag("reason", key.get(0)).tag("stage", key.get(1)).register(registry)).increment();
  }

  void dedupDropped() {
    dedupDrops.increment();
  }

  void dedupExpired(int count) {
    dedupExpired.increment(count);
  }

  void cacheHit(String model, String version) {
    cacheHits.computeIfAbsent(List.of(model, version), key -> Counter.builder(CACHE_HITS)
        .description("Requests answered from the result cache")
        .tag("model", key.get(0)).tag("version", key.get(1)).register(registry)).increment();
  }

  void cacheFilled() {
    cacheFills.increment();
  }

  void routed(String model, String version, boolean shadow) {
    routed.computeIfAbsent(List.of(model, version, Boolean.toString(shadow)), key -> Counter.builder(ROUTED)
        .description("Prepared requests written to an inference topic")
        .tag("model", key.get(0)).tag("version", key.get(1)).tag("shadow", key.get(2)).register(registry)).increment();
  }
}
