package dev.sluice.bench;

import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.ingress.IngressMetrics;
import dev.sluice.topology.ingress.IngressTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One timed run of the real ingress topology ({@link IngressTopology#build}, configured through
 * {@link IngressConfig#parse}) on its own application id, with a {@link SimpleMeterRegistry}
 * for the dedup drops, which leave no record behind.
 *
 * <p>Complete when routed + rejected + answered from cache + dropped as duplicates reaches the
 * number of requests, with routed, rejected and answered counted as committed records on
 * {@code <prefix>.inference.minilm}, {@code <prefix>.requests.rejected} and
 * {@code <prefix>.results} (less the seeded worker results): the ingress writes all three from
 * the task of the request's partition, in the transaction that commits the request's offset.
 */
final class IngressPass {
  private final StreamsPass pass;
  private final StreamsSettings streams;
  private final String registryUrl;
  private final Map<String, String> ingressOverrides;

  /**
   * @param pass runs and times the application
   * @param streams the Streams settings shared with the pass-through
   * @param registryUrl the schema registry
   * @param ingressOverrides further ingress keys (rate limits)
   */
  IngressPass(StreamsPass pass, StreamsSettings streams, String registryUrl, Map<String, String> ingressOverrides) {
    this.pass = pass;
    this.streams = streams;
    this.registryUrl = registryUrl;
    this.ingressOverrides = Map.copyOf(ingressOverrides);
  }

  /** The measurement and the outcomes of one ingress run over {@code requests} requests. */
  record Result(PassMeasurement measurement, IngressOutcomes outcomes) {}

  /**
   * Runs the ingress over the requests on {@code topics.requests()}.
   *
   * @param applicationId a fresh application id
   * @param topics the round's topics
   * @param partitions partitions of the request topic, {@code ingress.request.partitions}
   * @param requests the requests on the input topic
   * @param seededResults worker results already on the results topic
   * @param timeout bound on the run
   */
  Result run(String applicationId, PipelineTopics topics, int partitions, long requests, long seededResults, Duration timeout)
      throws InterruptedException {
    Map<String, String> properties = streams.forApplication(applicationId);
    properties.put(SchemaRegistryClientConfig.URL, registryUrl);
    properties.put("topic.prefix", topics.prefix());
    properties.put(IngressConfig.REQUEST_PARTITIONS, Integer.toString(partitions));
    properties.putAll(ingressOverrides);
    IngressConfig config = IngressConfig.parse(properties);
    String inference = topics.inference(Workload.MODEL);
    String rejected = topics.rejected();
    String results = topics.results();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(config.registry());
        OutputCounter counter = new OutputCounter(streams.bootstrapServers(), List.of(inference, rejected, results))) {
      PassSpec spec = new PassSpec("ingress", IngressTopology.build(config, registry, Clock.systemUTC(), meters),
          config.streamsProperties(), topics.requests(), requests, timeout);
      LongSupplier outcomes = () -> counter.count(inference) - shadowCopies(meters) + counter.count(rejected)
          + counter.count(results) - seededResults + dedupDrops(meters);
      PassMeasurement measurement = pass.run(spec, counter, outcomes);
      Map<String, Long> outputs = measurement.outputs();
      long shadows = shadowCopies(meters);
      IngressOutcomes result = new IngressOutcomes(outputs.get(inference) - shadows, shadows, outputs.get(rejected),
          outputs.get(results) - seededResults, dedupDrops(meters), byTag(meters, IngressMetrics.REJECTIONS, "reason", List.of()),
          byTag(meters, IngressMetrics.ROUTED, "version", List.of("shadow", "false")));
      return new Result(measurement, result);
    } finally {
      meters.close();
    }
  }

  private static long dedupDrops(MeterRegistry meters) {
    return sum(meters.find(IngressMetrics.DEDUP_DROPS).counters());
  }

  private static long shadowCopies(MeterRegistry meters) {
    return sum(meters.find(IngressMetrics.ROUTED).tag("shadow", "true").counters());
  }

  private static Map<String, Long> byTag(MeterRegistry meters, String name, String tag, List<String> filter) {
    Map<String, Long> counts = new TreeMap<>();
    for (Counter counter : meters.find(name).tags(filter.toArray(String[]::new)).counters()) {
      counts.merge(counter.getId().getTag(tag), Math.round(counter.count()), Long::sum);
    }
    return counts;
  }

  private static long sum(Iterable<Counter> counters) {
    double total = 0;
    for (Counter counter : counters) {
      total += counter.count();
    }
    return Math.round(total);
  }
}
