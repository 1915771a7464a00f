package dev.sluice.topology.monitor;

import dev.sluice.avro.Alert;
import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerde;
import dev.sluice.schemas.topics.PipelineTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The monitoring topology, shared by {@link MonitorApp} and the tests:
 *
 * <pre>
 * &lt;prefix&gt;.results ──────────┬─► one-record aggregates, key model/version ─┐ (+ wall-clock ticks)
 * &lt;prefix&gt;.metrics.events ───┼─► (BATCH: batch size, tokens; REQUEST: queue) ├─► monitor-by-model (repartition,
 * &lt;prefix&gt;.requests.rejected ┘   (key model/* or * / *)                        │   partitioned by model)
 * results ⋈ &lt;prefix&gt;.feedback on request id, within the join window ─────────┘
 *   ─► per window size: tumbling window + grace, reduce by merging (store monitor-window-&lt;ms&gt;)
 *        ├─ suppress until the window closes ─► final snapshot ─► &lt;prefix&gt;.metrics
 *        │     └─ (alert window only) alert rules, store monitor-alert-history ─► &lt;prefix&gt;.alerts
 *        └─ suppress for the early-update interval, open windows only ─► final = false ─► &lt;prefix&gt;.metrics
 * </pre>
 *
 * <p>Event time is each record's own time (see {@link EventTimeExtractor}); a record later than
 * the grace period after its window's end is dropped (Kafka Streams' dropped-records metric).
 * Stream time also moves while the input is idle: {@link WallClockTicks} adds a tick every
 * {@value WallClockTicks#INTERVAL_MS} ms to every partition of the aggregation input, at the wall
 * clock while the input is live (so a window's final snapshot goes out within about a second of
 * its end plus grace in wall-clock time, traffic or not), at the latest record's time plus the
 * idle time while it replays older records (so a backlog is not made late).
 * Every window size is computed from the same repartitioned stream. The early updates are
 * throttled in stream time: at most one per window and interval, the latest state, and none
 * after the window has closed. A labelled result counts in the window of the later of its result
 * and its feedback (usually the feedback's), so a label that arrives after its result's window
 * closed still counts, in the window it arrived in.
 */
public final class MonitorTopology {
  /** The partitioning of the aggregation input. */
  public static final String BY_MODEL = "monitor-by-model";
  /** The store of the alert rules' per-version history. */
  public static final String ALERT_HISTORY_STORE = "monitor-alert-history";
  /** The request ids whose label has counted already. */
  public static final String LABELS_SEEN = "monitor-labels-seen";
  /** The stores of the result–feedback join. */
  public static final String QUALITY_JOIN = "monitor-quality-join";

  private MonitorTopology() {}

  /** The window store of one window size. */
  public static String windowStore(Duration size) {
    return "monitor-window-" + size.toMillis() + "ms";
  }

  /**
   * Builds the topology.
   *
   * @param config the configuration; its topics name every topic
   * @param registry the schema registry client for every Avro serde (owned by the caller)
   * @param clock the wall clock for an alert's {@code raised_at} and the contributions' lateness
   * @param meters where the monitor's own meters go ({@link MonitorMetrics})
   * @return the topology, ready for {@code new KafkaStreams(topology, config.streamsProperties())}
   */
  public static Topology build(MonitorConfig config, SchemaRegistryClient registry, Clock clock, MeterRegistry meters) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
    MonitorMetrics metrics = new MonitorMetrics(meters, clock, config.windows().grace());
    PipelineTopics topics = config.topics();
    StreamsBuilder builder = new StreamsBuilder();
    KStream<byte[], InferenceResult> results = source(builder, topics.results(), InferenceResult.class, registry);
    // Shadow versions' results count for their own versions' snapshots; quality joins served results only.
    KStream<byte[], InferenceResult> shadowResults = source(builder, topics.shadowResults(), InferenceResult.class, registry);
    KStream<byte[], MetricEvent> events = source(builder, topics.metricEvents(), MetricEvent.class, registry);
    KStream<byte[], RejectedRequest> rejected = source(builder, topics.rejected(), RejectedRequest.class, registry);
    KStream<byte[], Feedback> feedback = source(builder, topics.feedback(), Feedback.class, registry);

    KStream<String, WindowAggregate> contributions = results.merge(shadowResults, Named.as("merge-shadow-results"))
        .map((key, result) -> KeyValue.pair(MonitorKeys.of(result.getModel(), result.getModelVersion()),
            WindowAggregate.ofResult(result)), Named.as("result-aggregates"))
        .merge(events.map((key, event) -> KeyValue.pair(MonitorKeys.of(event.getModel(), event.getModelVersion()),
            WindowAggregate.ofMetricEvent(event)), Named.as("metric-event-aggregates")), Named.as("merge-metric-events"))
        .merge(rejected.map((key, rejection) -> KeyValue.pair(MonitorKeys.of(rejection.getModel(), null),
            WindowAggregate.ofRejection(rejection)), Named.as("rejection-aggregates")), Named.as("merge-rejections"))
        .merge(labels(builder, config, results, feedback), Named.as("merge-labels"))
        .processValues(() -> new Lateness<>(clock, metrics), Named.as("lateness"))
        .process(() -> new WallClockTicks<>(WindowAggregate::new, config.windows().grace()), Named.as("wall-clock-ticks"));

    WindowAggregateSerde aggregateSerde = new WindowAggregateSerde();
    KGroupedStream<String, WindowAggregate> byVersion = contributions
        .repartition(Repartitioned.<String, WindowAggregate>as(BY_MODEL).withKeySerde(Serdes.String())
            .withValueSerde(aggregateSerde).withStreamPartitioner(new ByModelPartitioner()))
        .groupByKey(Grouped.with(Serdes.String(), aggregateSerde));

    Produced<String, MetricsSnapshot> toMetrics = Produced.with(Serdes.String(), AvroSerde.specific(MetricsSnapshot.class, registry));
    MonitorConfig.WindowSpec windows = config.windows();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_HISTORY_STORE), Serdes.String(),
        new VersionHistorySerde()));
    for (Duration size : windows.sizes()) {
      String name = size.toMillis() + "ms";
      KTable<Windowed<String>, WindowAggregate> table = byVersion
          .windowedBy(TimeWindows.ofSizeAndGrace(size, windows.grace()))
          .reduce(WindowAggregate::merge, Named.as("window-" + name),
              Materialized.<String, WindowAggregate, WindowStore<Bytes, byte[]>>as(windowStore(size))
                  .withKeySerde(Serdes.String()).withValueSerde(aggregateSerde));
      KStream<String, MetricsSnapshot> finals = table
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("final-" + name))
          .toStream(Named.as("final-stream-" + name))
          .filter((window, aggregate) -> MonitorKeys.counts(window.key()), Named.as("final-counted-" + name))
          .map((window, aggregate) -> KeyValue.pair(window.key(), SnapshotFactory.snapshot(window, aggregate)),
              Named.as("final-snapshot-" + name))
          .peek((key, snapshot) -> metrics.finalSnapshot(name, snapshot), Named.as("final-counter-" + name));
      finals.to(topics.metrics(), toMetrics.withName("final-sink-" + name));
      if (size.equals(windows.alertWindow())) {
        finals.process(() -> new AlertProcessor(config.alertRules(), config.windows().alertWindow(), config.windows().grace(), clock), Named.as("alert-rules"), ALERT_HISTORY_STORE)
            .peek((key, alert) -> metrics.alert(alert.getRule()), Named.as("alert-counter"))
            .to(topics.alerts(), Produced.with(Serdes.String(), AvroSerde.specific(Alert.class, registry)).withName("alert-sink"));
      }
      if (config.earlyUpdates()) {
        table.suppress(Suppressed.untilTimeLimit(config.earlyUpdate(), Suppressed.BufferConfig.unbounded()).withName("early-" + name))
            .toStream(Named.as("early-stream-" + name))
            .filter((window, aggregate) -> MonitorKeys.counts(window.key()), Named.as("early-counted-" + name))
            .processValues(() -> new EarlySnapshots(windows.grace().toMillis()), Named.as("open-windows-" + name))
            .map((window, snapshot) -> KeyValue.pair(window.key(), snapshot), Named.as("early-snapshot-" + name))
            .peek((key, snapshot) -> metrics.snapshot(name, false), Named.as("early-counter-" + name))
            .to(topics.metrics(), toMetrics.withName("early-sink-" + name));
      }
    }
    return builder.build();
  }

  /** Labelled predictions: OK classification results joined with their feedback on request id, the first label per request only. */
  private static KStream<String, WindowAggregate> labels(StreamsBuilder builder, MonitorConfig config,
      KStream<byte[], InferenceResult> results,
      KStream<byte[], Feedback> feedback) {
    LabelledOutcomeSerde outcomeSerde = new LabelledOutcomeSerde();
    Duration labelsSeenRetention = FirstLabelOnly.retention(config.qualityJoinWindow(), config.windows().grace());
    // The quality path's stores live in memory, restored from their changelogs at start. Kafka 4.4's
    // segmented (persistent window) stores keep their changelog offsets in their segments, so one
    // that never received a record (no classification result, no feedback) reports none, and
    // under exactly-once Streams then wipes its task as corrupted at every start. The cost: heap
    // for the classification outcomes and labels of two join windows (README, "Monitoring").
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.inMemoryWindowStore(LABELS_SEEN, labelsSeenRetention, labelsSeenRetention, false), Serdes.String(), Serdes.Long()));
    JoinWindows joinWindows = JoinWindows.ofTimeDifferenceAndGrace(config.qualityJoinWindow(), config.windows().grace());
    KStream<String, LabelledOutcome> predictions = results
        .filter((key, result) -> LabelledOutcome.prediction(result) != null, Named.as("classification-results"))
        .map((key, result) -> KeyValue.pair(result.getRequestId(), LabelledOutcome.prediction(result)), Named.as("predictions"));
    KStream<String, LabelledOutcome> truths = feedback
        .filter((key, label) -> LabelledOutcome.usable(label), Named.as("usable-feedback"))
        .map((key, label) -> KeyValue.pair(label.getRequestId(), LabelledOutcome.truth(label)), Named.as("truths"));
    return predictions
        .join(truths,
            (prediction, truth) -> prediction.matches(truth)
                ? KeyValue.pair(MonitorKeys.of(prediction.model(), prediction.version()), WindowAggregate.ofLabel(truth.label(),
                    prediction.label()))
                : null,
            joinWindows,
            StreamJoined.with(Serdes.String(), outcomeSerde, outcomeSerde).withName(QUALITY_JOIN).withStoreName(QUALITY_JOIN)
                .withDslStoreSuppliers(new BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers()))
        .filter((requestId, labelled) -> labelled != null, Named.as("matching-labels"))
        .processValues(() -> new FirstLabelOnly(LABELS_SEEN, labelsSeenRetention), Named.as("first-label-only"), LABELS_SEEN)
        .map((requestId, labelled) -> labelled, Named.as("label-aggregates"));
  }

  private static <T extends SpecificRecord> KStream<byte[], T> source(StreamsBuilder builder, String topic, Class<T> type,
      SchemaRegistryClient registry) {
    return builder.stream(topic, Consumed.with(Serdes.ByteArray(), AvroSerde.specific(type, registry))
            .withTimestampExtractor(new EventTimeExtractor()).withName(topic + "-source"))
        .filter((key, value) -> value != null, Named.as(topic + "-present"));
  }
}
