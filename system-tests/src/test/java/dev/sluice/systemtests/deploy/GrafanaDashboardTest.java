package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.worker.WorkerMetrics;
import dev.sluice.worker.fleet.ModelFleetMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * deploy/grafana/sluice-workers.json queries only series a worker exposes. The series come from
 * a Prometheus registry holding the worker's meters under the worker's own name constants
 * ({@link WorkerMetrics}, {@link ModelFleetMetrics}), with the same meter types and base units, and the
 * real JVM and Kafka client binders, rendered by Micrometer's Prometheus registry as the worker's
 * {@code /metrics} renders them: renaming a meter in the worker breaks this test.
 */
@Timeout(60)
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "sluice-workers.json");
  private static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus", "prometheus.yml");
  private static final Pattern METRIC = Pattern.compile("\\b((?:sluice|jvm|kafka|process|system)_[a-z0-9_]+)\\b");

  @Test
  void everyMetricTheDashboardQueriesIsOneTheWorkerExposes() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
    dashboard.findValues("definition").forEach(definition -> queries.add(definition.asText()));
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Matcher matcher = METRIC.matcher(query);
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }

    Set<String> exposed = workerSeries();

    assertThat(queries).hasSizeGreaterThan(15);
    assertThat(used).contains("sluice_worker_results_total", "sluice_worker_end_to_end_seconds_bucket",
        "sluice_worker_inference_seconds_bucket", "sluice_worker_batch_size_requests_sum", "sluice_worker_queue_depth_requests",
        "sluice_worker_model_load_seconds_sum", "jvm_memory_used_bytes", "kafka_consumer_fetch_manager_records_lag_max");
    assertThat(exposed).as("series a worker exposes").containsAll(used);
  }

  @Test
  void dashboardIsAnImportableGrafanaDashboardOnThePrometheusInput() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
    JsonNode datasourceVariable = dashboard.path("templating").path("list").get(0);
    assertThat(datasourceVariable.path("name").asText()).as("provisioned (sidecar) copies get no import step: a variable resolves the input")
        .isEqualTo("DS_PROMETHEUS");
    assertThat(datasourceVariable.path("type").asText()).isEqualTo("datasource");
    assertThat(datasourceVariable.path("query").asText()).isEqualTo("prometheus");
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
        assertThat(panel.path("targets")).isNotEmpty();
      }
    }
  }

  @Test
  void prometheusScrapesTheIngressWorkersAndMonitoringPorts() throws Exception {
    String config = Files.readString(PROMETHEUS);

    assertThat(config).contains("scrape_configs:").contains("kubernetes_sd_configs:").contains("metrics_path: /metrics")
        .contains(":8090").contains(":8091").contains(":8092");
  }

  /** The series names of a worker's /metrics once it has answered and loaded something. */
  private static Set<String> workerSeries() {
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
      Set<String> series = new TreeSet<>();
      for (String line : registry.scrape().split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          series.add(line.split("[{ ]", 2)[0]);
        }
      }
      return series;
    }
  }
}
