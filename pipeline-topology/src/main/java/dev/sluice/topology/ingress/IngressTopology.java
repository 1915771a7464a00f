package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Status;
import dev.sluice.preprocessing.RateLimits;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerde;
import dev.sluice.schemas.topics.PipelineTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The ingress topology, shared by {@link IngressApp} and the tests:
 *
 * <pre>
 * &lt;prefix&gt;.requests (bytes) ─► prepare: decode, route, validate, normalize  ── rejects ─► &lt;prefix&gt;.requests.rejected
 *                               │ prepared, key := tenant (null tenant: "default")
 *                               ▼ repartition "by-tenant" (ingress.partitions)
 *                               admit: rate limit, dedup, result cache, route ── rejects ─► &lt;prefix&gt;.requests.rejected
 *                               │                    │ cache hits ────────────────────────► &lt;prefix&gt;.results
 *                               ▼ key := request key, primary + shadow copies ────────────► &lt;prefix&gt;.inference.&lt;model&gt;
 * &lt;prefix&gt;.results ─► OK, fresh, with content key; key := tenant ─► repartition "results-by-tenant" ─► cache-feed
 * &lt;prefix&gt;.models ─► GlobalKTable (store sluice-models), read by prepare and admit by prefix scan
 * </pre>
 *
 * <p>Design decisions: requests are read as bytes so undecodable ones become dead letters with
 * their original bytes instead of stopping the stream. Stage 1 is stateless and runs before the
 * one repartition by tenant; stage 2 holds the state (token buckets, dedup TTL store, result
 * cache), so each tenant's state lives in one task. The result cache is fed from the results
 * topic through a second repartition with the same partition count and key (the tenant), so the
 * feed and the admit stage share the {@link IngressStores#RESULT_CACHE} store in one
 * co-partitioned sub-topology. The original request key and the dedup key cross the repartition
 * as headers ({@link IngressHeaders}). Every input record ends as exactly one of: routed,
 * rejected, dropped as a counted duplicate, or answered from the cache.
 */
public final class IngressTopology {
  private IngressTopology() {}

  /**
   * Builds the topology.
   *
   * @param config the configuration; its {@link IngressConfig#topics()} name every topic
   * @param registry the schema registry client for every Avro serde (owned by the caller)
   * @param clock the wall clock for deadlines, rate limits, dedup and cache TTLs and timestamps
   * @param meters where the ingress's meters are registered
   * @return the topology, ready for {@code new KafkaStreams(topology, config.streamsProperties())}
   */
  public static Topology build(IngressConfig config, SchemaRegistryClient registry, Clock clock, MeterRegistry meters) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    PipelineTopics topics = config.topics();
    IngressMetrics metrics = new IngressMetrics(Objects.requireNonNull(meters, "meters"));
    Serde<PreparedRequest> preparedSerde = AvroSerde.specific(PreparedRequest.class, registry);
    Serde<InferenceResult> resultSerde = AvroSerde.specific(InferenceResult.class, registry);
    Serde<RejectedRequest> rejectedSerde = AvroSerde.specific(RejectedRequest.class, registry);
    Serde<ModelDeployment> deploymentSerde = AvroSerde.specific(ModelDeployment.class, registry);

    StreamsBuilder builder = new StreamsBuilder();
    builder.globalTable(topics.models(), Consumed.with(Serdes.String(), deploymentSerde).withName("models-source"),
        Materialized.<String, ModelDeployment>as(Stores.inMemoryKeyValueStore(IngressStores.MODELS))
            .withKeySerde(Serdes.String()).withValueSerde(deploymentSerde));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IngressStores.RATE_BUCKETS),
        Serdes.String(), new BucketStateSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IngressStores.DEDUP),
        Serdes.String(), Serdes.Long()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.lruMap(IngressStores.RESULT_CACHE, config.cacheMaxEntries()),
        Serdes.String(), resultSerde));

    Produced<byte[], RejectedRequest> toRejected = Produced.with(Serdes.ByteArray(), rejectedSerde);
    KStream<byte[], IngressStep> prepared = builder
        .stream(topics.requests(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("requests-source"))
        .processValues(() -> new PrepareRequestProcessor(registry, config.defaults(), topics, clock, metrics), Named.as("prepare"));
    prepared.split(Named.as("prepare-"))
        .branch((key, step) -> step instanceof IngressStep.Reject, Branched.withConsumer(rejects -> rejects
            .mapValues(step -> ((IngressStep.Reject) step).rejection(), Named.as("prepare-rejection"))
            .to(topics.rejected(), toRejected.withName("prepare-rejected-sink")), "rejected"))
        .defaultBranch(Branched.withConsumer(forwards -> forwards
            .mapValues(step -> ((IngressStep.Forward) step).request(), Named.as("prepare-request"))
            .selectKey((key, request) -> tenantKey(request.getTenant()), Named.as("key-by-tenant"))
            .repartition(Repartitioned.<String, PreparedRequest>as("by-tenant")
                .withKeySerde(Serdes.String()).withValueSerde(preparedSerde).withNumberOfPartitions(config.partitions()))
            .process(() -> new AdmitRequestProcessor(config, clock, metrics), Named.as("admit"),
                IngressStores.RATE_BUCKETS, IngressStores.DEDUP, IngressStores.RESULT_CACHE)
            .split(Named.as("admit-"))
            .branch((key, step) -> step instanceof IngressStep.Reject, Branched.withConsumer(rejects -> rejects
                .mapValues(step -> ((IngressStep.Reject) step).rejection(), Named.as("admit-rejection"))
                .to(topics.rejected(), toRejected.withName("admit-rejected-sink")), "rejected"))
            .branch((key, step) -> step instanceof IngressStep.Answer, Branched.withConsumer(answers -> answers
                .mapValues(step -> ((IngressStep.Answer) step).result(), Named.as("admit-answer"))
                .to(topics.results(), Produced.with(Serdes.ByteArray(), resultSerde).withName("cached-results-sink")), "answered"))
            .defaultBranch(Branched.withConsumer(routed -> routed
                .mapValues(step -> ((IngressStep.Forward) step).request(), Named.as("admit-request"))
                .to(inferenceTopic(topics), Produced.with(Serdes.ByteArray(), preparedSerde).withName("inference-sink")), "routed")),
            "prepared"));

    builder.stream(topics.results(), Consumed.with(Serdes.ByteArray(), resultSerde).withName("results-source"))
        .filter((key, result) -> config.cacheEnabled() && isFreshAnswer(result), Named.as("fresh-answers"))
        .selectKey((key, result) -> tenantKey(result.getTenant()), Named.as("results-key-by-tenant"))
        .repartition(Repartitioned.<String, InferenceResult>as("results-by-tenant")
            .withKeySerde(Serdes.String()).withValueSerde(resultSerde).withNumberOfPartitions(config.partitions()))
        .process(() -> new CacheFeedProcessor(config, clock, metrics), Named.as("cache-feed"), IngressStores.RESULT_CACHE);
    return builder.build();
  }

  /** The repartition key of a tenant: the tenant, or {@link RateLimits#DEFAULT_TENANT}. */
  static String tenantKey(String tenant) {
    return tenant == null || tenant.isBlank() ? RateLimits.DEFAULT_TENANT : tenant;
  }

  private static boolean isFreshAnswer(InferenceResult result) {
    return result != null && result.getStatus() == Status.OK && !result.getCached() && !result.getShadow()
        && result.getContentKey() != null && result.getOutput() != null;
  }

  private static TopicNameExtractor<byte[], PreparedRequest> inferenceTopic(PipelineTopics topics) {
    return new InferenceTopicByModel(topics);
  }

  /** Picks {@code <prefix>.inference.<model>} from the prepared request; named for describe(). */
  private record InferenceTopicByModel(PipelineTopics topics) implements TopicNameExtractor<byte[], PreparedRequest> {
    @Override
    public String extract(byte[] key, PreparedRequest request, RecordContext context) {
      return topics.inference(request.getModel());
    }

    @Override
    public String toString() {
      return topics.prefix() + ".inference.<model>";
    }
  }
}
