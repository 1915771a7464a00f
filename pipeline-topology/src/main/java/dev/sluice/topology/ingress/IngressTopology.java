package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.platform.tracing.Tracing;
import dev.sluice.preprocessing.RateLimits;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The ingress topology, shared by {@link IngressApp}, the tests and the benchmark:
 *
 * <pre>
 * &lt;prefix&gt;.requests          (bytes; one task per partition, stores: rate buckets, dedup + its expiry index)
 * &lt;prefix&gt;.requests.rerouted (same partitions, read by the same tasks)
 *   ─► ingress: decode, [reroute], route, validate, normalize, rate limit, dedup, result cache
 *        ├─► reroute-sink ───────► &lt;prefix&gt;.requests.rerouted (idempotency key owned by another task)
 *        ├─► rejected-sink ──────► &lt;prefix&gt;.requests.rejected
 *        ├─► cached-results-sink ► &lt;prefix&gt;.results
 *        └─► inference-sink ─────► &lt;prefix&gt;.inference.&lt;model&gt; (primary + shadow copies)
 * &lt;prefix&gt;.results ─► cache-feed: fresh OK answers, key := tenant|model/version|content_key
 *   ─► result-cache-sink ─► &lt;prefix&gt;.results.cache
 * global: &lt;prefix&gt;.models ─► models-writer ─► sluice-models (per model: its versions' deployments)
 * global: &lt;prefix&gt;.results.cache ─► result-cache-writer ─► sluice-result-cache (LRU)
 * </pre>
 *
 * <p>Design decisions. Everything a request needs is in the task of its partition (token buckets
 * and dedup entries, changelogged) or in a global store every instance holds in full (the model
 * registry and the result cache), so a request is decoded once, encoded once and produced once,
 * with one exception: a request with an idempotency key that arrived on a partition other than
 * the one its key hashes to ({@link KeyOwnership}) is passed, as its original bytes, to the task
 * of that partition through {@code <prefix>.requests.rerouted} (a second source of the same
 * sub-topology, so that task's dedup store sees it), and is decoded again there. A producer that
 * keys records by idempotency key pays nothing for this, and a retry is recognized however it is
 * keyed. Rate limits are enforced per request partition, each task holding the tenant's share
 * (rate and burst divided by {@code ingress.request.partitions}, burst at least 1, see
 * {@link TenantRateLimiter}). The result cache is global so that any instance answers a repeat of
 * content first produced anywhere: a second sub-topology re-keys fresh results onto the compacted
 * cache topic, read back as a global store, at most {@code ingress.cache.max.entries} per
 * instance (the topic's retention bounds what is loaded at start; the TTL is checked on read).
 * Requests are read as bytes so undecodable ones become dead letters with their original bytes
 * instead of stopping the stream. Every input record ends as exactly one of: routed, rejected,
 * dropped as a counted duplicate, or answered from the cache (a rerouted record ends so at the
 * owner).
 */
public final class IngressTopology {
  /** The source of {@code <prefix>.requests}. */
  public static final String REQUESTS_SOURCE = "requests-source";
  /** The request-path processor. */
  public static final String INGRESS = "ingress";
  /** Where dead letters go: {@code <prefix>.requests.rejected}. */
  public static final String REJECTED_SINK = "rejected-sink";
  /** Where cached answers go: {@code <prefix>.results}. */
  public static final String CACHED_RESULTS_SINK = "cached-results-sink";
  /** Where routed requests and shadow copies go: {@code <prefix>.inference.<model>}. */
  public static final String INFERENCE_SINK = "inference-sink";
  /** The source of {@code <prefix>.requests.rerouted}: requests passed on by the task that read them first. */
  public static final String REROUTED_SOURCE = "rerouted-source";
  /** Where a request goes whose idempotency key another task owns: {@code <prefix>.requests.rerouted}. */
  public static final String REROUTE_SINK = "reroute-sink";
  /** Where copies of outcomes go for callers waiting on a reply partition: {@code <prefix>.replies}. */
  public static final String REPLIES_SINK = "replies-sink";
  /** The source of {@code <prefix>.results}, for the cache feed. */
  public static final String RESULTS_SOURCE = "results-source";
  /** The cache feed processor. */
  public static final String CACHE_FEED = "cache-feed";
  /** Where the cache feed writes: {@code <prefix>.results.cache}. */
  public static final String RESULT_CACHE_SINK = "result-cache-sink";

  private IngressTopology() {}

  /**
   * Builds the topology.
   *
   * @param config the configuration; its {@link IngressConfig#topics()} name every topic, and its
   *     {@link IngressConfig#requestPartitions()} must be known
   * @param registry the schema registry client for every Avro serde (owned by the caller)
   * @param clock the wall clock for deadlines, rate limits, dedup and cache TTLs and timestamps
   * @param meters where the ingress's meters are registered
   * @return the topology, ready for {@code new KafkaStreams(topology, config.streamsProperties())}
   * @throws IllegalArgumentException when the number of request partitions is not known
   */
  public static Topology build(IngressConfig config, SchemaRegistryClient registry, Clock clock, MeterRegistry meters) {
    return build(config, registry, clock, meters, Tracing.off());
  }

  /**
   * Builds the topology with tracing: each request is handled in one span ({@link TracedRequests}).
   *
   * @param tracing the process's tracing (owned by the caller)
   * @see #build(IngressConfig, SchemaRegistryClient, Clock, MeterRegistry)
   */
  public static Topology build(IngressConfig config, SchemaRegistryClient registry, Clock clock, MeterRegistry meters, Tracing tracing) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    config.requiredRequestPartitions();
    PipelineTopics topics = config.topics();
    IngressMetrics metrics = new IngressMetrics();
    metrics.bindTo(Objects.requireNonNull(meters, "meters"));

    Topology topology = new Topology();
    topology.addSource(REQUESTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.requests());
    topology.addSource(REROUTED_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.reroutedRequests());
    QuietSpell quietSpell = new QuietSpell(config.commitInterval().toMillis());
    topology.addProcessor(INGRESS, () -> new TracedRequests(tracing, new RequestProcessor(config, registry, clock, metrics, quietSpell)),
        REQUESTS_SOURCE, REROUTED_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IngressStores.RATE_BUCKETS),
        Serdes.String(), new BucketStateSerde()), INGRESS);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IngressStores.DEDUP),
        Serdes.String(), Serdes.Long()), INGRESS);
    // The expiry index is local (no changelog): each task rebuilds it from the dedup store at its
    // first purge, so a keyed request costs one changelog record, as before the index existed.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IngressStores.DEDUP_EXPIRY),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(), INGRESS);
    topology.addSink(REROUTE_SINK, topics.reroutedRequests(), new ByteArraySerializer(), new KeyOwnership.RerouteSerializer(),
        new KeyOwnership.ReroutePartitioner(config.requiredRequestPartitions()), INGRESS);
    topology.addSink(REJECTED_SINK, topics.rejected(), new ByteArraySerializer(), new AvroSerializer<>(registry), INGRESS);
    topology.addSink(CACHED_RESULTS_SINK, topics.results(), new ByteArraySerializer(), new EncodedValue.BytesOf(), INGRESS);
    topology.addSink(REPLIES_SINK, topics.replies(), new ByteArraySerializer(),
        new ReplyCopy.ValueSerializer(new AvroSerializer<>(registry), topics.rejected()), new ReplyCopy.Partitioner(), INGRESS);
    topology.addSink(INFERENCE_SINK, new EncodedValue.TopicOf(topics.prefix() + ".inference.<model>"), new ByteArraySerializer(),
        new EncodedValue.BytesOf(), INGRESS);

    topology.addSource(RESULTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.results());
    topology.addProcessor(CACHE_FEED, () -> new CacheFeedProcessor(config, clock, new ResultSummaryReader(registry),
        new AvroDeserializer<>(InferenceResult.class, registry)), RESULTS_SOURCE);
    topology.addSink(RESULT_CACHE_SINK, topics.resultCache(), new StringSerializer(), new AvroSerializer<InferenceResult>(registry),
        CACHE_FEED);

    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IngressStores.MODELS), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        "models-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.models(), "models-writer",
        () -> new ModelRegistryWriter(topics.models(), new AvroDeserializer<>(ModelDeployment.class, registry)));
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.lruMap(IngressStores.RESULT_CACHE, config.cacheMaxEntries()), Serdes.String(),
            Serdes.ByteArray()).withLoggingDisabled(),
        "result-cache-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.resultCache(), "result-cache-writer",
        () -> new ResultCacheWriter(topics.resultCache(), new AvroDeserializer<>(InferenceResult.class, registry), clock,
            config.cacheTtl().toMillis(), metrics));
    return topology;
  }

  /** The tenant a request or result counts against: the tenant, or {@link RateLimits#DEFAULT_TENANT}. */
  static String tenantKey(String tenant) {
    return tenant == null || tenant.isBlank() ? RateLimits.DEFAULT_TENANT : tenant;
  }
}
