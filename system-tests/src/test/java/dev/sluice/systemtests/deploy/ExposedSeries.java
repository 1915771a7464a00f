package dev.sluice.systemtests.deploy;

import dev.sluice.platform.http.BrokerConnectivity;
import dev.sluice.worker.WorkerMetrics;
import dev.sluice.worker.fleet.ModelFleetMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.ingress.IngressMetersInUse;
import dev.sluice.topology.ingress.IngressTopology;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.topology.monitor.MonitorMetersInUse;
import dev.sluice.topology.monitor.MonitorTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * The Prometheus series (names as a scrape writes them, e.g. {@code sluice_ingress_latency_seconds_bucket})
 * that the components expose. The ingress and the monitor: the component's real topology, built with its
 * Deployment's settings on a real (never started) {@link KafkaStreams} client, with the meters
 * {@code StreamsService} binds beside it (Kafka Streams' own, through {@link KafkaStreamsMetrics},
 * and {@link BrokerConnectivity}); plus the component's meter class with every lazily tagged meter
 * recorded. All rendered by Micrometer's Prometheus registry as the component's /metrics renders them.
 * The worker: see {@link #worker()}.
 */
final class ExposedSeries {
  private ExposedSeries() {}

  /** The ingress's series, from the ingress Deployment of a build. */
  static Set<String> ingress(Rendered rendered) {
    Map<String, String> settings = offline(rendered.running("ingress").get(0).componentSettings(), "ingress");
    settings.put(IngressConfig.REQUEST_PARTITIONS, "12");
    IngressConfig config = IngressConfig.parse(settings);
    Set<String> series = streams(config.streamsProperties(), meters -> IngressTopology.build(config, registryClient(), Clock.systemUTC(), meters));
    series.addAll(recorded(IngressMetersInUse::bindAndRecord));
    return series;
  }

  /** The monitor's series, from the monitor Deployment of a build. */
  static Set<String> monitor(Rendered rendered) {
    MonitorConfig config = MonitorConfig.parse(offline(rendered.running("monitor").get(0).componentSettings(), "monitor"));
    Set<String> series = streams(config.streamsProperties(), meters -> MonitorTopology.build(config, registryClient(), Clock.systemUTC(), meters));
    series.addAll(recorded(MonitorMetersInUse::createAndRecord));
    return series;
  }

  /** The series names of a Prometheus text scrape. */
  static Set<String> names(String scrape) {
    Set<String> series = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        series.add(line.split("[{ ]", 2)[0]);
      }
    }
    return series;
  }

  private static Set<String> recorded(Consumer<MeterRegistry> meters) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.accept(registry);
    return names(registry.scrape());
  }

  /** A topology on a Kafka Streams client, with the meters StreamsService binds, scraped before it starts. */
  private static Set<String> streams(Properties properties, Function<MeterRegistry, Topology> topology) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (KafkaStreams streams = new KafkaStreams(topology.apply(meters), properties);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams)) {
      streamsMetrics.bindTo(meters);
      new BrokerConnectivity(() -> List.of(streams.metrics()), Clock.systemUTC()).bindTo(meters);
      return names(meters.scrape());
    }
  }

  private static RestSchemaRegistryClient registryClient() {
    return RestSchemaRegistryClient.fromProperties(Map.of("schema.registry.url", "http://unused:8081"));
  }

  /** The settings with a broker that is never asked and a temporary state directory. */
  private static Map<String, String> offline(Map<String, String> deployed, String component) {
    Map<String, String> settings = new HashMap<>(deployed);
    settings.keySet().removeIf(key -> key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl."));
    settings.put("bootstrap.servers", "127.0.0.1:1");
    try {
      settings.put("state.dir", Files.createTempDirectory("sluice-series-" + component).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return settings;
  }

  /**
   * The series names of a worker's /metrics once it has answered and loaded something: the
   * worker's meters under its own name constants ({@link WorkerMetrics}, {@link ModelFleetMetrics}),
   * with the same meter types and base units, and the real JVM and Kafka client binders.
   */
  static Set<String> worker() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String[] tags = {"model", "m", "version", "v1"};
    Counter.builder(WorkerMetrics.RESULTS).tags(tags).tag("status", "OK").register(registry).increment();
    Counter.builder(WorkerMetrics.DEAD_LETTERS).tag("model", "m").register(registry).increment();
    Counter.builder(WorkerMetrics.TRANSACTIONS).tag("model", "m").tag("outcome", "committed").register(registry).increment();
    Counter.builder(WorkerMetrics.TOKENS).baseUnit("tokens").tags(tags).tag("kind", "real").register(registry).increment();
    Timer.builder(WorkerMetrics.END_TO_END).tags(tags).tag("status", "OK").publishPercentileHistogram().register(registry)
        .record(Duration.ofMillis(5));
    Timer.builder(WorkerMetrics.INFERENCE).tags(tags).publishPercentileHistogram().register(registry).record(Duration.ofMillis(5));
    Timer.builder(WorkerMetrics.QUEUED).tags(tags).register(registry).record(Duration.ofMillis(5));
    DistributionSummary.builder(WorkerMetrics.BATCH_SIZE).baseUnit("requests").tags(tags).register(registry).record(8);
    DistributionSummary.builder(WorkerMetrics.PADDING_WASTE).baseUnit("ratio").tags(tags).register(registry).record(0.1);
    Gauge.builder(WorkerMetrics.QUEUE_DEPTH, () -> 3).baseUnit("requests").tag("model", "m").register(registry);
    Timer.builder(ModelFleetMetrics.LOAD_TIMER).tags(tags).tag("outcome", "success").register(registry).record(Duration.ofSeconds(2));
    Gauge.builder(ModelFleetMetrics.LOADED_GAUGE, () -> 1).tag("model", "m").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    Map<String, Object> props = Map.of("bootstrap.servers", "127.0.0.1:1", "client.id", "grafana-dashboard-test");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaClientMetrics kafka = new KafkaClientMetrics(consumer)) {
      kafka.bindTo(registry);
      return names(registry.scrape());
    }
  }
}
