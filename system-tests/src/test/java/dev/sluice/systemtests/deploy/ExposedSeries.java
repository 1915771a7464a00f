package dev.sluice.systemtests.deploy;

import dev.sluice.platform.http.BrokerConnectivity;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerMetersInUse;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.model.ModelLoadException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * The Prometheus series (names as a scrape writes them, e.g. {@code sluice_ingress_latency_seconds_bucket},
 * each with its label names) that the components expose. The ingress and the monitor: the component's real topology, built with its
 * Deployment's settings on a real (never started) {@link KafkaStreams} client, with the meters
 * {@code StreamsService} binds beside it (Kafka Streams' own, through {@link KafkaStreamsMetrics},
 * and {@link BrokerConnectivity}); plus the component's meter class with every lazily tagged meter
 * recorded. All rendered by Micrometer's Prometheus registry as the component's /metrics renders them.
 * The worker: see {@link #worker}.
 */
final class ExposedSeries {
  private static final Pattern LABEL = Pattern.compile("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  private ExposedSeries() {}

  /** The ingress's series, from the ingress Deployment of a build. */
  static Map<String, Set<String>> ingress(Rendered rendered) {
    Map<String, String> settings = offline(rendered.running("ingress").get(0).componentSettings(), "ingress");
    settings.put(IngressConfig.REQUEST_PARTITIONS, "12");
    IngressConfig config = IngressConfig.parse(settings);
    Map<String, Set<String>> series = streams(config.streamsProperties(), meters -> IngressTopology.build(config, registryClient(), Clock.systemUTC(), meters));
    merge(series, recorded(IngressMetersInUse::bindAndRecord));
    return series;
  }

  /** The monitor's series, from the monitor Deployment of a build. */
  static Map<String, Set<String>> monitor(Rendered rendered) {
    MonitorConfig config = MonitorConfig.parse(offline(rendered.running("monitor").get(0).componentSettings(), "monitor"));
    Map<String, Set<String>> series = streams(config.streamsProperties(), meters -> MonitorTopology.build(config, registryClient(), Clock.systemUTC(), meters));
    merge(series, recorded(MonitorMetersInUse::createAndRecord));
    return series;
  }

  /** The series of a Prometheus text scrape: each name (e.g. {@code sluice_ingress_latency_seconds_bucket}) with its label names. */
  static Map<String, Set<String>> names(String scrape) {
    Map<String, Set<String>> series = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        Set<String> labels = series.computeIfAbsent(line.split("[{ ]", 2)[0], name -> new TreeSet<>());
        int open = line.indexOf('{');
        if (open >= 0) {
          Matcher label = LABEL.matcher(line.substring(open, line.lastIndexOf('}')));
          while (label.find()) {
            labels.add(label.group(1));
          }
        }
      }
    }
    return series;
  }

  /** Adds {@code more}'s series and labels to {@code series}. */
  static void merge(Map<String, Set<String>> series, Map<String, Set<String>> more) {
    more.forEach((name, labels) -> series.computeIfAbsent(name, n -> new TreeSet<>()).addAll(labels));
  }

  private static Map<String, Set<String>> recorded(Consumer<MeterRegistry> meters) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.accept(registry);
    return names(registry.scrape());
  }

  /** A topology on a Kafka Streams client, with the meters StreamsService binds, scraped before it starts. */
  private static Map<String, Set<String>> streams(Properties properties, Function<MeterRegistry, Topology> topology) {
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
   * The worker's series, from the worker Deployment of a build: the real worker service started
   * with its settings against a broker that is not there (its own meters as it binds them: the JVM
   * binders, its Kafka clients', broker connectivity, the fleet's), plus {@code WorkerMetrics} and
   * {@code ModelFleetMetrics} after a committed flush and a model load.
   */
  static Map<String, Set<String>> worker(Rendered rendered) {
    Map<String, String> settings = offline(rendered.running("worker").get(0).componentSettings(), "worker");
    settings.put(WorkerConfig.HTTP_PORT, "0");
    settings.put(WorkerConfig.SHUTDOWN_TIMEOUT_MS, "5000");
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Map<String, Set<String>> series;
    try {
      WorkerService service = WorkerService.start(WorkerConfig.parse(settings), deployment -> {
        throw new ModelLoadException("no model in this test", null);
      }, meters);
      try {
        series = names(meters.scrape());
      } finally {
        service.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    merge(series, recorded(WorkerMetersInUse::bindAndRecord));
    return series;
  }
}
